"""Deadline reminders and overdue escalation: which are due on a day (rules), recorded once each
(sweep), and delivered in the platform, by e-mail and to units' group-chat bots (delivery)."""
