"""Assister Log: document interactions ended under MNsure's Identifying and Terminating
Inappropriate Interactions Policy, in an encrypted local vault."""

__version__ = "0.1.0"
APP_NAME = "Assister Log"
APP_ID = "org.assisterlog.AssisterLog"
