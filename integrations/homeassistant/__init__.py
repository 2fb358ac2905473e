"""Home Assistant: MQTT discovery for the service's bridge (discovery.py), and beside it the
custom integration (custom_components/fairstead), which Home Assistant loads and the service
never imports."""
