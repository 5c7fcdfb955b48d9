"""Every component id of the pages, in one place."""

# Frame (every page)
HEADER = "frame-header"
NAV = "frame-nav"
LOGOUT = "frame-logout"

# Home page
HOME_LOCATION = "home-location"
HOME_SUMMARY = "home-summary"
HOME_FRESHNESS = "home-freshness"
