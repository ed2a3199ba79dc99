"""The soak test (`make soak`): gunicorn on PostgreSQL under load from locust."""
