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

# Project team page (layouts/projet*.py, callbacks/projet*.py)
PROJET_ERROR = "projet-error"
PROJET_SUMMARY = "projet-summary"
PROJET_TIMELINE = "projet-timeline"
PROJET_UNDATED = "projet-undated"
PROJET_FILTER_AXIS = "projet-filter-axis"
PROJET_FILTER_OWNER = "projet-filter-owner"
PROJET_FILTER_STATUS = "projet-filter-status"
PROJET_GRID = "projet-grid"
PROJET_EDIT_MESSAGE = "projet-edit-message"
PROJET_REFRESH = "projet-refresh"
PROJET_HISTORY = "projet-history"
PROJET_DIGEST = "projet-digest"

# COPIL page and its dossier (layouts/copil*.py, callbacks/copil*.py)
COPIL_HEADING = "copil-heading"
COPIL_CARDS = "copil-cards"
COPIL_TRAJECTORY_INDICATOR = "copil-trajectory-indicator"
COPIL_TRAJECTORY = "copil-trajectory"
COPIL_FUNNEL = "copil-funnel"
COPIL_SPLIT_SCOPE = "copil-split-scope"
COPIL_SPLITS = "copil-splits"
COPIL_BREAKDOWN_INDICATOR = "copil-breakdown-indicator"
COPIL_BREAKDOWN_DIMENSION = "copil-breakdown-dimension"
COPIL_BREAKDOWN = "copil-breakdown"
COPIL_ROADMAP = "copil-roadmap"
COPIL_DEFINITIONS = "copil-definitions"
COPIL_DOSSIER_LINK = "copil-dossier-link"
COPIL_PDF_LINK = "copil-pdf-link"
COPIL_PRINT = "copil-print"
COPIL_DOSSIER_TRAJECTORIES = "copil-dossier-trajectories"
COPIL_CARD = "copil-card"  # pattern-matching type: {"type": COPIL_CARD, "code": code}
COPIL_VALUE = "copil-value"  # {"type": COPIL_VALUE, "code": code}: the card's figure

# COMOP page (layouts/comop*.py, callbacks/comop*.py)
COMOP_ERROR = "comop-error"
COMOP_PAGE = "comop-page"  # a store present from the start: fires the page's callbacks
COMOP_SITE = "comop-site"
COMOP_ORGANISME = "comop-organisme"
COMOP_REFERENT = "comop-referent"
COMOP_WEEK = "comop-week"
COMOP_SEEN = "comop-seen"  # "Listes vues au ..." status line
COMOP_TABS = "comop-tabs"
COMOP_LIST_TITLE = "comop-list-title"
COMOP_LIST_NOTE = "comop-list-note"
COMOP_LIST_EMPTY = "comop-list-empty"
COMOP_GRID = "comop-grid"
COMOP_CSV = "comop-csv"
COMOP_XLSX = "comop-xlsx"
COMOP_DOWNLOAD = "comop-download"
COMOP_WEEKLY = "comop-weekly"

# Imports and data quality page (layouts/imports.py, callbacks/imports.py)
IMPORTS_PAGE_ERROR = "imports-page-error"
IMPORTS_REFRESH = "imports-refresh"
IMPORTS_SOURCE = "imports-source"
IMPORTS_EXTRACTED_ON = "imports-extracted-on"
IMPORTS_OPTIONS = "imports-options"
IMPORTS_UPLOAD = "imports-upload"
IMPORTS_REPORT = "imports-report"
IMPORTS_REPORT_COUNTS = "imports-report-counts"
IMPORTS_FRESHNESS = "imports-freshness"
IMPORTS_MATCH = "imports-match"
IMPORTS_FILTER_SOURCE = "imports-filter-source"
IMPORTS_HISTORY = "imports-history"
IMPORTS_UNKNOWN_COLUMNS = "imports-unknown-columns"
IMPORTS_QUARANTINE = "imports-quarantine"
IMPORTS_EDITOR = "imports-editor"
IMPORTS_EDITOR_TITLE = "imports-editor-title"
IMPORTS_EDITOR_FIELDS = "imports-editor-fields"
IMPORTS_EDITOR_ACTIONS = "imports-editor-actions"
IMPORTS_EDITOR_MESSAGE = "imports-editor-message"
IMPORTS_EDITOR_ROW = "imports-editor-row"
IMPORTS_CORRECT = "imports-correct"
IMPORTS_DISCARD = "imports-discard"
QUARANTINE_OPEN = "quarantine-open"  # {"type", "row"}
QUARANTINE_FIELD = "quarantine-field"  # {"type", "row", "index"}

# Administration page (layouts/admin.py, callbacks/admin.py)
ADMIN_PAGE_ERROR = "admin-page-error"
ADMIN_USERS = "admin-users"
ADMIN_USER_MESSAGE = "admin-user-message"
ADMIN_NEW_LOGIN = "admin-new-login"
ADMIN_NEW_ROLE = "admin-new-role"
ADMIN_NEW_PASSWORD = "admin-new-password"
ADMIN_NEW_CONFIRM = "admin-new-confirm"
ADMIN_CREATE = "admin-create"
USER_ROLE = "admin-user-role"  # {"type", "user"}
USER_ROLE_SAVE = "admin-user-role-save"  # {"type", "user"}
USER_TOGGLE = "admin-user-toggle"  # {"type", "user", "action"}
ADMIN_INDICATOR = "admin-indicator"
ADMIN_INDICATOR_HELP = "admin-indicator-help"
ADMIN_POINTS = "admin-points"
ADMIN_ADD_POINT = "admin-add-point"
ADMIN_SAVE_POINTS = "admin-save-points"
ADMIN_TARGET_MESSAGE = "admin-target-message"
POINT_FIELD = "admin-point-field"  # {"type", "line", "name"}
POINT_DELETE = "admin-point-delete"  # {"type", "line"}
ADMIN_THRESHOLD = "admin-threshold"
ADMIN_THRESHOLD_VALUE = "admin-threshold-value"
ADMIN_AUDIT_ACTION = "admin-audit-action"
ADMIN_AUDIT = "admin-audit"

# Imports page: the confirmation before discarding a quarantined row.
IMPORTS_DISCARD_CONFIRM = "imports-discard-confirm"
