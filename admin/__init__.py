"""The admin surfaces: the web console (`console/`) and the JSON API (`api/`) for administrators.

Feature packages add their own pages and endpoints to them (broadcasts/console.py, broadcasts/api.py).
"""
