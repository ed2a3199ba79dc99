"""Development data: ``manage.py load_demo`` and ``manage.py generate_scale_data``."""
