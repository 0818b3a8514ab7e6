"""Names vulture cannot see used (the check: [tool.vulture] in pyproject.toml, run by
`make lint` and bin/test). Each group says who reads them. A name belongs here only when that
reader is real; a function nothing calls is deleted, not listed (issue #14 item 5).

Only vulture reads this file: `_.name` marks `name` as used.
"""
# ruff: noqa: B018, F821

# --- Settings and formats: Django reads them by name (config/settings, config/formats)
_.ALLOWED_HOSTS
_.AUTHENTICATION_BACKENDS
_.AUTH_PASSWORD_VALIDATORS
_.AXES_CLIENT_IP_CALLABLE
_.AXES_COOLOFF_TIME
_.AXES_FAILURE_LIMIT
_.AXES_LOCKOUT_PARAMETERS
_.AXES_LOCKOUT_TEMPLATE
_.AXES_RESET_ON_SUCCESS
_.CONTENT_SECURITY_POLICY
_.CSRF_COOKIE_SECURE
_.CSRF_TRUSTED_ORIGINS
_.DATETIME_INPUT_FORMATS
_.DATE_INPUT_FORMATS
_.DECIMAL_SEPARATOR
_.DEFAULT_AUTO_FIELD
_.EMAIL_BACKEND
_.FILE_UPLOAD_MAX_MEMORY_SIZE
_.FIRST_DAY_OF_WEEK
_.FORMAT_MODULE_PATH
_.LANGUAGES
_.LOGGING
_.LOGIN_REDIRECT_URL
_.LOGIN_URL
_.LOGOUT_REDIRECT_URL
_.MEDIA_URL
_.MIDDLEWARE
_.MONTH_DAY_FORMAT
_.NUMBER_GROUPING
_.OTP_ADMIN_HIDE_SENSITIVE_DATA
_.OTP_TOTP_ISSUER
_.PASSWORD_HASHERS
_.ROOT_URLCONF
_.RQ_QUEUES
_.SECURE_CONTENT_TYPE_NOSNIFF
_.SECURE_HSTS_INCLUDE_SUBDOMAINS
_.SECURE_HSTS_SECONDS
_.SECURE_PROXY_SSL_HEADER
_.SECURE_REDIRECT_EXEMPT
_.SECURE_REFERRER_POLICY
_.SECURE_SSL_REDIRECT
_.SESSION_COOKIE_AGE
_.SESSION_COOKIE_HTTPONLY
_.SESSION_COOKIE_SAMESITE
_.SHORT_DATETIME_FORMAT
_.SHORT_DATE_FORMAT
_.SILENCED_SYSTEM_CHECKS
_.STATICFILES_DIRS
_.TASKS
_.TEMPLATES
_.THOUSAND_SEPARATOR
_.TIME_FORMAT
_.TIME_ZONE
_.USE_I18N
_.USE_THOUSAND_SEPARATOR
_.USE_TZ
_.WHITENOISE_AUTOREFRESH
_.WHITENOISE_USE_FINDERS
_.WSGI_APPLICATION
_.X_FRAME_OPTIONS
_.YEAR_MONTH_FORMAT

# --- Referenced by a dotted path in the settings, or called by a library
_.AtomicDatabaseCache  # CACHES['ratelimit']['BACKEND'] in config/settings/base.py
_.RequestContextFilter  # LOGGING's filters in config/settings/base.py
_.is_anonymous  # access.SystemActor stands in for a user; Django's code reads it
_.page_holes  # TEMPLATES' context_processors in config/settings/base.py
_.process_log_record  # python-json-logger calls it on every record (core/logging.py)
_.urlconf  # a key of the lru_cache of indicators.selectors._drill_path (one per urlconf)

# --- Read only by templates (properties, dataclass fields, widget context)
_.approve
_.autofocus
_.bound_rows
_.certificates
_.correct
_.data_reason
_.enrolled
_.html_rows
_.is_new
_.is_ratio
_.kind_label
_.last_reminder
_.linked_provinces
_.max_known
_.on_time_rate
_.pick_url
_.rating_id
_.reporting_rate
_.repropose
_.review
_.search_url
_.sector_label
_.shown_count
_.status_label
_.sub_sector_label
_.submit
_.title_vi
_.tree_url
_.trees

# --- Model fields: read through the ORM, forms, exports and templates by name (also where
# a service sets one on an instance before saving it)
_.answered_at
_.answered_by
_.approved_at
_.approved_by
_.author_name
_.average_worker_income
_.borrowed_capital
_.business
_.charter_capital
_.contract_value
_.contracts
_.cost
_.counted_on
_.created_by
_.criteria_basis
_.development_fund
_.district_legacy_id
_.dividends
_.done_on
_.filed
_.high_tech
_.image
_.image_alt
_.income_mass
_.income_workers
_.investment
_.is_staff
_.issued_by
_.issued_on
_.last_seen
_.legal_basis
_.managers_count
_.managers_higher_education
_.managers_vocational
_.marked_at
_.members_joined
_.members_left
_.n_income
_.n_members
_.n_profit
_.n_revenue
_.n_workers
_.object_id
_.object_repr
_.object_type
_.ocop_products
_.operating_capital
_.organiser
_.other_funds
_.previous_report_version
_.profit_after_tax
_.profit_before_tax
_.profit_total
_.proposed_at
_.province_legacy
_.province_legacy_id
_.registration
_.report_version
_.representative_phone
_.reserve_fund
_.retry_of
_.return_comment
_.returned_at
_.returned_by
_.returned_to_members
_.revenue_planned
_.revenue_total
_.rules_ids
_.sales
_.search_name
_.sent_at
_.sent_by
_.sent_to
_.submitted_at
_.submitted_by
_.task_id
_.total_assets
_.total_capital
_.updated_by
_.uploaded_at
_.uploaded_by
_.valid_until
_.value_chain
_.website
_.workers_members

# --- API schema fields: django-ninja serialises them by name
_.charter_capital
_.circular
_.drill_down
_.official_definition
_.created_by
_.high_tech
_.predecessors
_.province_legacy
_.recorded_at
_.representative_phone
_.value_chain
_.website

# --- Form fields: read by name (cleaned_data, templates, the import's layout)
_.cooperative_text
_.date_from
_.date_to
_.mode
_.password_again
_.sheet_name
_.tags_text
_.website

# --- Choices: members of TextChoices, stored in the database and offered in forms
_.CAPITAL_DESC
_.COLLECTIVE
_.CREDIT_CAPITAL
_.FISHERY
_.FOREST
_.FOUNDED
_.FOUNDED_DESC
_.GLOBALGAP
_.GRAIN
_.HANDICRAFT
_.IMPROVED
_.INFRASTRUCTURE
_.LAND
_.LEGAL_ENTITY
_.MARKETING
_.MEMBERS_DESC
_.NAME_DESC
_.PROCESSING
_.SERVICE
_.TECHNIQUE
_.UPDATED_DESC

# --- Styles set on openpyxl cells and sheets and python-docx paragraphs, for the library
_.alignment
_.bottom_margin
_.data_type
_.first_line_indent
_.italic
_.left_margin
_.right_margin
_.top_margin
# python-docx sections, paragraphs and tables, fontTools' font (core.officialdoc: the frame)
_.autofit
_.different_first_page_header_footer
_.flavor
_.line_spacing
_.page_height
_.page_width
_.space_after
_.space_before
_.underline

# --- Pure statements of a rule that a query implements, held by the tests as its reference
_.Dated  # registry.rules: the entries status_at reads
_.dissolution_proposed  # support.rules; support.selectors' dissolution query does it in SQL
_.link_active_on  # market.rules; tests check market.selectors.active_links by it
_.nothing  # access.Scope: the access tests ask whether a scope grants nothing
_.status_at  # the status on a day; tests check Cooperative.objects.existing_on by it

# --- Documented API of core (docs/adding-an-app.md), for pages without a form
_.query_date  # core.params: a date from the query string
_.query_year  # core.params: a year from the query string

# --- Dead, in modules other changes of issue #14 are rewriting: remove them there, then here
_.TRAINED_GROUPS  # hoptac/support/selectors.py
_.remediation_available  # hoptac/ratings/services.py (read by a test only)
_.xlsx_put  # hoptac/core/spreadsheet_safety.py (tests only)

# --- Django reads it: a QuerySet method marked so is never called from a template
# (core.changes.TrackedQuerySet's update and bulk_update, as Django marks its own)
_.alters_data

# --- Read by django-ninja (a route registered by its decorator, schema fields serialised by
# name), by Django (a widget's input_type) and by templates (the role home's urgent items)
_.api_index  # hoptac/api/main.py: GET /api/v1/
_.openapi  # hoptac/api/main.py IndexOut
_.docs  # hoptac/api/main.py IndexOut
_.input_type  # hoptac/core/widgets.py VietnameseDateInput
_.urgent  # hoptac/portal/work.py: templates/portal/work.html marks urgent items

# --- Called by Django's SQL compiler by name (an expression's SQL per database, its type)
_.as_sql  # hoptac/api/selectors.py IsoTimestamp (SQLite, and any other database)
_.as_postgresql  # hoptac/api/selectors.py IsoTimestamp
_.output_field  # hoptac/api/selectors.py IsoTimestamp
_.forget_leases  # hoptac/api/throttling.py (the API tests' fresh_rate_limits)
