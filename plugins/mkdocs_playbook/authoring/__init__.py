"""What authors get beside the site: the guide, JSON Schemas, `playbook new` and `init`, health."""
