"""Home Assistant MQTT discovery: one device per household, one sensor per summary field.

Device-based discovery (Home Assistant 2024.11 and later): a single retained config message
on `<discovery prefix>/device/<node id>/config` describes the device and its components, so
the scores appear as sensors without any YAML. The sensors read the household's retained
state message; a null value renders as `None`, which Home Assistant shows as "unknown".
"""

from typing import Any

from domain.households.models import Household

_PERCENT = {"unit_of_measurement": "%", "state_class": "measurement"}
SENSORS: dict[str, tuple[str, dict[str, Any]]] = {
    "overall_score": ("Overall fairness", {**_PERCENT, "icon": "mdi:scale-balance"}),
    "money_score": ("Money fairness", {**_PERCENT, "icon": "mdi:cash-multiple"}),
    "time_score": ("Time fairness", {**_PERCENT, "icon": "mdi:broom"}),
    "open_proposals": (
        "Open proposals",
        {"state_class": "measurement", "icon": "mdi:lightbulb-on-outline"},
    ),
    "largest_balance": ("Largest balance", {"device_class": "monetary"}),
    "headline": ("Headline", {"icon": "mdi:text"}),
    "goal_name": ("Nearest goal", {"icon": "mdi:flag-checkered"}),
    "goal_progress": ("Nearest goal progress", {**_PERCENT, "icon": "mdi:piggy-bank"}),
    "goal_remaining": ("Nearest goal remaining", {"device_class": "monetary"}),
    "goal_monthly_needed": ("Nearest goal monthly saving", {"device_class": "monetary"}),
}


MONETARY = {"largest_balance", "goal_remaining", "goal_monthly_needed"}


def node_id(household: Household) -> str:
    return f"fairstead_{household.id.replace('-', '')}"


def config_topic(discovery_prefix: str, household: Household) -> str:
    return f"{discovery_prefix}/device/{node_id(household)}/config"


def device_config(household: Household, *, topic_prefix: str, version: str) -> dict[str, Any]:
    node = node_id(household)
    state_topic = f"{topic_prefix}/{household.id}/state"
    components = {}
    for key, (name, options) in SENSORS.items():
        extra = dict(options)
        if key in MONETARY:
            extra["unit_of_measurement"] = household.currency
        components[key] = {
            "p": "sensor",
            "name": name,
            "unique_id": f"{node}_{key}",
            "state_topic": state_topic,
            "value_template": f"{{{{ value_json.{key} }}}}",
            **extra,
        }
    return {
        "dev": {
            "ids": [node],
            "name": f"Fairstead {household.name}",
            "mf": "Fairstead",
            "mdl": "Household",
            "sw": version,
        },
        "o": {"name": "Fairstead", "sw": version},
        "availability_topic": f"{topic_prefix}/status",
        "qos": 1,
        "cmps": components,
    }
