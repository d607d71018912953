"""The reform domain over the REST API: plans, sections, tasks, milestones and units' assignments."""
