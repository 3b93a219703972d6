"""The compliance domain: parse -> validate -> store. No Slack imports here."""
