"""Home Assistant: MQTT discovery for the service's bridge (discovery.py), and the tests of the
custom integration, which lives at the repository's root (custom_components/fairstead, where
HACS looks for it); Home Assistant loads it and the service never imports it."""
