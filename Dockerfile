# The platform's image: migrate, web, worker and beat all run from it (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DATA_DIR=/data
# The same system packages as a native set-up (gettext, Pango, HarfBuzz subsetting, the CJK fonts).
COPY scripts/system-packages scripts/system-packages
RUN bash scripts/system-packages && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# Build-time only: compiling translations and collecting static files need a key, not a secret one.
RUN DEBUG=false SECRET_KEY=build-only python manage.py compilemessages --ignore=.venv \
    && DEBUG=false SECRET_KEY=build-only python manage.py collectstatic --noinput

# Named volumes mounted here start with these owners.
RUN useradd --create-home reform \
    && mkdir -p /data/media /data/backups /data/beat \
    && chown -R reform /data
USER reform
EXPOSE 8000
CMD ["scripts/web"]
