"""Every component id of the pages, in one place."""

# Frame (every page)
HEADER = "frame-header"
NAV = "frame-nav"
LOGOUT = "frame-logout"

# Home page
HOME_LOCATION = "home-location"
HOME_SUMMARY = "home-summary"
HOME_FRESHNESS = "home-freshness"

# Shared filters (layouts/filters.py, callbacks/filters.py): the URL is their state.
URL = "frame-url"
FILTER_TERRITORY = "filter-territory"
FILTER_TERRITORY_BOX = "filter-territory-box"
FILTER_KIND = "filter-kind"
FILTER_PERIOD = "filter-period"
FILTER_PERIOD_BOX = "filter-period-box"
FILTER_FROM = "filter-from"
FILTER_TO = "filter-to"
FILTER_CUSTOM_BOX = "filter-custom-box"
FILTER_FRESHNESS = "filter-freshness"
