"""The demo accounts the generator creates, one per persona (printed by ``make run``)."""

DEMO_PASSWORD = "matchday-demo-2026"
DEMO_LOGINS = {
    "candidate": "candidate@demo.matchday.dev",
    "company": "hiring@demo.matchday.dev",
    "partner": "partner@demo.matchday.dev",
}
DEMO_NAMES = {
    "candidate": "Mira Okafor",
    "company": "Jonas Lindqvist",
    "partner": "Priya Raman",
}
