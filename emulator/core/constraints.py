"""Every user-facing message, as named constants, each with its source.

No error text is typed anywhere else (stripe-mock's rule). Sources are sections of
``shared/eloqua-bulk-reference.md``; texts marked [INF] are ours, in Eloqua's style, where
Oracle publishes none.
"""

from __future__ import annotations

# HTTP status texts, reference §13.2 (Oracle's "HTTP status codes" page).
PARSING_ERROR = "There was a parsing error."
NOT_FOUND = "The requested resource was not found."
METHOD_NOT_ALLOWED = "The requested method is not supported by this resource."  # [INF]
CONFLICT = "There was a conflict."
SERVICE_ERROR = "The service has encountered an error."

# /id failure body, reference §2.1.
NOT_AUTHENTICATED = "Not authenticated."

# Authorization header problems, reference §2.3. [INF]: the pod answers 401 with its own text.
AUTH_MISSING = "An Authorization header with Basic or Bearer credentials is required."
AUTH_MALFORMED = "Must be 'Basic base64(Site\\User:password)' or 'Bearer <token>'."
AUTH_BASIC_FORM = "Must be base64 of 'Site\\User:password' with a site and a user name."
AUTH_REFUSED = "Unknown user or wrong password."
AUTH_NAMES = "Site and user names must be 1 to 100 printable characters."
TOKEN_UNKNOWN = "The access token is unknown or was revoked."
TOKEN_EXPIRED = "The access token has expired."

# Query parameters, reference §3.2. [INF] wording.
LIMIT_RANGE = "Must be an integer between 1 and {max}."
OFFSET_RANGE = "Must be an integer greater than or equal to 0."
BOOLEAN_VALUE = "Must be 'true' or 'false'."
ORDER_BY_FORM = (
    "Must be '<property> ASC' or '<property> DESC', where the property is one of: {names}."
)
Q_FORM = "Must be terms of the form '<property><operator><value>' with operators = != < <= > >=."
Q_PROPERTY = "Cannot search on '{name}'; searchable properties are: {names}."
Q_VALUE = "Value '{value}' is not a valid {kind} for '{name}'."
Q_WILDCARD = "Wildcards (*) are allowed only with = and != on text properties."
# Limits of the list query language (core/listing): Eloqua documents none. [INF]
Q_TERMS = "Must have at most {max} terms."
Q_LENGTH = "Must be at most {max} characters long."
ORDER_BY_COUNT = "Must name at most {max} properties."
ENUM_VALUE = "Must be one of: {values}."

# Routing, reference §13.2.
RESOURCE_UNKNOWN = NOT_FOUND

# Definitions, reference §5 and §13.2 (Oracle's wording where it publishes one).
BODY_NOT_UTF8 = "The body must be encoded in UTF-8."  # [INF]
BODY_NOT_OBJECT = "Must be a JSON object."  # [INF]
BODY_TOO_LARGE = "The body must be at most {limit} bytes."  # [INF]
CONTENT_TYPE_JSON = "Content-Type must be application/json."  # reference §3.3 (mandatory)
STRING_LENGTH = (
    "Must be a string value, at least {low} character and at most {high} characters long."
)
BOOLEAN_PROPERTY = "Must be a boolean value (true or false)."  # [INF]
INTEGER_PROPERTY = "Must be an integer."  # [INF]
INTEGER_AT_LEAST = "Must be an integer of at least {low}."  # [INF]
PROPERTY_REQUIRED = "Is required."  # [INF]
FIELDS_OBJECT = "Must be an object of column names mapped to field statements."  # [INF]
FIELDS_COUNT = "Must contain between 1 and {high} fields."  # reference §13.3
FIELD_NAME = "Field names must be 1 to 100 characters long."  # [INF]
FIELD_STATEMENT_TEXT = "Field statements must be strings such as {{Contact.Field(C_EmailAddress)}}."
ACTIVITY_CONTACT_FIELDS = "An activity export may contain at most 10 contact fields."  # §12.1
SYNC_ACTION_FIELDS = "Must contain exactly one field."  # reference §5.3
SYNC_ACTION_IDENTITY = "Must be an identity statement of the entity: {allowed}."  # §5.3
IDENTIFIER_NOT_IN_FIELDS = (
    "identifierFieldName {name} must be contained within Fields, if specified."  # ELQ-00112
)
IDENTIFIER_TYPE = "The following field types are not supported: Large Text, Date, and Boolean."
IDENTIFIER_OPPORTUNITY = "Must name the field that holds {{Opportunity.Id}}."  # tutorial
OPPORTUNITY_REQUIRED = "Must include {statements}."  # Oracle's opportunities tutorial
UPDATE_RULE_FIELD = "Must name a field of the definition."  # [INF]
RETENTION_RANGE = "Must be an ISO-8601 duration from PT1H to P14D."  # reference §5.1
AUTO_DELETE_RANGE = "Must be an ISO-8601 duration of at least PT1H."  # reference §5.1
IMPORT_PRIORITY_URI = "Must reference an existing /imports/priorities/{id}."  # swagger text
SYNC_ACTIONS_LIST = "Must be a list of at most 10 sync actions."  # reference §13.3
SYNC_ACTIONS_NONE = "This kind of definition accepts no sync actions."  # reference §4.5, §4.6
FILTER_TEXT = "Must be a string."  # [INF]
SOURCE_FIELD = "Must be the name of one of the definition's fields."  # [INF]

# Staging, reference §10. [INF] wording except where marked.
STAGED_ARRAY = "Must be a JSON array of objects, or one object; got {0}."
STAGED_OBJECT = "Row {index} must be a JSON object."
STAGED_FLAT = "Row {index}: the value of '{key}' must be a string, number, boolean or null."
STAGED_CSV_HEADER = "A CSV body starts with a header row of the definition's field names."
STAGED_CSV_DUPLICATE = "The header row names '{name}' twice."
STAGED_CSV_COLUMNS = "Line {line} has a different number of columns than the header ({expected})."
STAGED_CONTENT_TYPE = "Content-Type must be application/json or text/csv."
STAGED_FILES = "At most {limit} files can be staged before a sync."  # reference §10
UPLOAD_TOO_LARGE = "Uploads are limited to 32 MB."  # reference §10: a pod answers 404
STORAGE_EXCEEDED = "Storage space exceeded."  # Oracle's upload pages: the 413

# Syncs, reference §9. [INF] wording.
SYNCED_INSTANCE_URI = "Must reference an existing import, export or sync action definition."
CALLBACK_URL = "Must be an absolute http or https URL."
# [INF] Eloqua documents no rule; a URL's credentials would be stored, logged and shown.
URL_CREDENTIALS = "Must not contain credentials (user:password@); they are masked in the value."
DATA_OF_IMPORT = "Data can only be read from an export sync."  # reference §11: 400
DATA_OTHER_USER = "Only the user who synchronized an export can retrieve its data."  # §9.3 [DOC]
DATA_NOT_READY = "The sync has not ended; its data is not available yet."  # [INF]
DATA_EXPIRED = "The synced data has expired or was deleted."  # reference §11 [INF]
SYNC_RUNNING = "A sync of this definition is already pending or active."  # reference §5.4
SITE_UNKNOWN = "No site of this name has signed in."  # control plane
SERVICE_INSTANCE_GONE = "Must reference service instance within a workflow"  # [DOC] §13.2
CONTACT_UNKNOWN = "No contact with this id in the site."  # control plane
ACCOUNT_UNKNOWN = "No account with this id in the site."  # control plane
OPPORTUNITY_UNKNOWN = "No opportunity with this id in the site."  # control plane
APPCLOUD_TYPE = "Must be one of action, decision, feeder, content."  # control plane
APPCLOUD_ENTITY = "Must be contacts or customObjects/{id}."  # control plane
APPCLOUD_ENTITY_UNKNOWN = "No custom object with this id in the site."  # control plane
APPCLOUD_URL = "Must be an http or https URL template, or null."  # control plane
APPCLOUD_PER_NOTIFICATION = "Must be an integer from 0 to 5000."  # control plane
APPCLOUD_INSTANCE_ID = "Must be a GUID with dashes."  # control plane
APPCLOUD_INSTANCE_TAKEN = "A service instance with this GUID exists."  # control plane
APPCLOUD_INSTANCE_UNKNOWN = "No service instance with this GUID."  # control plane
APPCLOUD_DEFINITION = "Must be an object of at most 249 field statements."  # control plane
APPCLOUD_RECORD_IDS = "Must be a list of 1 to 100000 record ids."  # control plane
APPCLOUD_RECORD_UNKNOWN = "No such records of the instance's entity."  # control plane
APPCLOUD_TEXT = "Must be a string."  # control plane
APPCLOUD_ASSET_ID = "Must be a non-negative integer."  # control plane
APPCLOUD_EXECUTION_ID = "Must be a positive integer."  # control plane
APPCLOUD_EXECUTION_TAKEN = "The site has an execution with this id."  # control plane
APPCLOUD_EXECUTION_UNKNOWN = "No execution of this instance with this id."  # control plane
# State and clock (control plane: domain/control, domain/snapshots, core/clock).
RESET_KEY = "Not a reset parameter: site."
CONTROL_SITE_NAME = "Must be a non-empty site name without a backslash."
SNAPSHOT_NAME = "Must be 1 to 64 letters, digits, dots, underscores or hyphens, not only dots."
SNAPSHOT_UNKNOWN = "No snapshot of this name."
SNAPSHOT_VERSION = "The snapshot is of store format {found}; this emulator reads format {expected}."
SNAPSHOT_UNREADABLE = "The file is not a snapshot of this emulator: {reason}."
FIXTURES_KEY = "Not a parameter of a fixture set: site, fixtures."
FIXTURES_DIRECTORY = "Must be the path of a directory of fixture files on the emulator's host."
FIXTURES_INVALID = "The fixture set does not load: {reason}."
CLOCK_SECONDS = "Must be a number of seconds greater than 0 (the clock never goes back)."
CLOCK_MOMENT = "Must be an ISO 8601 date-time such as 2027-01-15T08:00:00Z, up to year 9999."
CLOCK_BACKWARDS = "The clock shows {now} and never goes back."
CLOCK_KEY = "Not a parameter: {key}."

# OAuth 2.0 error codes and descriptions, reference §2.3 (RFC 6749 §5.2 shape).
OAUTH_INVALID_REQUEST = "invalid_request"
OAUTH_INVALID_CLIENT = "invalid_client"
OAUTH_INVALID_GRANT = "invalid_grant"
OAUTH_UNSUPPORTED_GRANT = "unsupported_grant_type"
OAUTH_UNSUPPORTED_RESPONSE = "unsupported_response_type"
OAUTH_ACCESS_DENIED = "access_denied"
OAUTH_CLIENT_REQUIRED = "Client authentication (HTTP Basic client_id:client_secret) is required."
OAUTH_CLIENT_REFUSED = "Unknown client or wrong client secret."
OAUTH_PARAMETER_MISSING = "The '{name}' parameter is required."
OAUTH_GRANT_UNSUPPORTED = "grant_type must be one of: {values}."
OAUTH_CODE_INVALID = "The authorization code is invalid, expired or already used."
OAUTH_REDIRECT_MISMATCH = "redirect_uri does not match the one given to the authorize endpoint."
OAUTH_REFRESH_INVALID = "The refresh token is invalid, expired or already used."
OAUTH_USERNAME_FORM = "username must be 'Site\\User'."
OAUTH_CREDENTIALS_REFUSED = "Unknown user or wrong password."
OAUTH_BODY_UNREADABLE = "The body must be application/x-www-form-urlencoded or JSON in UTF-8."
OAUTH_RESPONSE_TYPE = "response_type must be 'code' or 'token'."

# Eloqua markup language statements, reference §6 (emulator/core/markup). Oracle publishes no parser
# messages, so the wording is ours [INF]; "{{...}}" is literal only in texts that are never
# formatted.
MARKUP_BRACES = "Statements must be wrapped in double braces, as in {{Contact.Id}}."
MARKUP_EMPTY = "The statement is empty."
MARKUP_SPACE = "Statements cannot contain spaces."
MARKUP_CHARACTER = "Unexpected character '{char}' in the statement."
MARKUP_TRAILING = "Unexpected text after the closing braces of the statement."
MARKUP_LENGTH = "A statement is at most {max} characters long."  # [INF]
MARKUP_NAME = "Expected a name such as Contact, Field or Id."
MARKUP_SEPARATOR = "Expected '.' or the closing braces."
MARKUP_INDEX = "Expected a numeric id between square brackets, as in CustomObject[9]."
MARKUP_INDEX_RANGE = "Ids must be between 0 and {max}."
MARKUP_ARGUMENT = "Expected an internal name or a service instance id between the parentheses."
MARKUP_CLOSE_BRACKET = "Expected ']'."
MARKUP_CLOSE_PAREN = "Expected ')'."
MARKUP_UNKNOWN_ENTITY = "Unknown entity '{name}'; expected one of: {names}."
MARKUP_UNKNOWN_SEGMENT = "'{name}' cannot follow '{path}'; expected one of: {names}."
MARKUP_ENDS = "'{name}' cannot follow '{path}', which ends the statement."
MARKUP_INCOMPLETE = "The statement ends too early after '{path}'; expected one of: {names}."
MARKUP_NEEDS_INDEX = "'{name}' takes a numeric id in square brackets: {name}[<id>]."
MARKUP_NEEDS_NAME = "'{name}' takes an internal name in parentheses: {name}(<internalName>)."
MARKUP_NEEDS_GUID = (
    "'{name}' takes the service instance id in parentheses: {name}(<32 hexadecimal digits>)."
)
MARKUP_NO_SUFFIX = "'{name}' takes no id or name."
MARKUP_NAME_FORM = (
    "'{name}' is not an internal name: use letters, digits and underscores, starting with a letter."
)
# Reference §6: dashless in Bulk statements, dashed on the AppCloud endpoints.
MARKUP_GUID_DASHED = (
    "Service instance ids are written without dashes, as 32 hexadecimal digits: {guid}."
)
MARKUP_GUID_FORM = "Must be a service instance id of 32 hexadecimal digits without dashes."
MARKUP_NOT_A_FIELD = "Must be a field statement; {statement} is a container or a service instance."
MARKUP_WRONG_ENTITY = "Must be a field of the {entity} entity, such as {example}; not {statement}."
MARKUP_WRONG_PARENT = "Must reference {kind} {expected}, the one in the path; not {actual}."
MARKUP_FIELD_UNKNOWN = "The field {statement} does not exist."
# A definition column naming no field of the catalog: a pod's words (reference §18)
FIELD_NOT_EXISTING = "Must be a reference to an existing object."
MARKUP_EMAIL_ADDRESS_ONLY = (
    "Email address definitions take only {{EmailAddress.Field(EmailAddress)}}."
)
MARKUP_SCORING_MODEL_UNKNOWN = "Lead scoring model {id} does not exist."
MARKUP_CONTAINER_UNKNOWN = "{kind} {id} does not exist."
MARKUP_NOT_A_DESTINATION = (
    "Must be a sync-action destination (ContactList, AccountList, EmailGroup, GlobalSubscribe "
    "or a service instance); not {statement}."
)
MARKUP_DESTINATION_ENTITY = "{statement} is not a sync-action destination of {entity} definitions."

# Sync actions, reference §8 (emulator/core/markup/actions.py); wording [INF].
SYNC_ACTION_SHAPE = "Must be an object with action, destination and, for setStatus, status."
SYNC_ACTION_ENTITY = "Sync actions are not supported on {entity}."  # §4.5, §4.6
SYNC_ACTION_VERB = "Must be one of: add, remove, setStatus."
SYNC_ACTION_DESTINATION_TEXT = "Must be a destination statement such as {{ContactList[12]}}."
SYNC_ACTION_COMBINATION = "Action '{action}' cannot be used with {destination}; use: {allowed}."
SYNC_ACTION_STATUS_REQUIRED = "setStatus on {destination} requires a status, one of: {values}."
SYNC_ACTION_STATUS_VALUE = "Must be one of: {values} for {destination}."
SYNC_ACTION_STATUS_UNUSED = "status is used only with setStatus."
SYNC_ACTION_EXECUTION = "Must name the execution: {name}(<instance>).Execution[<id>]."
SYNC_ACTION_UPDATE_ALL = "Must be true or false."
SYNC_ACTION_UPDATE_ALL_EXECUTION = "updateAll applies only to service instance executions."

# Export filters (Eloqua expression language), reference §7 (emulator/core/filters). Oracle's own
# sentences are marked [DOC]; the parser messages are ours [INF].
FILTER_EMPTY = "The filter is empty."
FILTER_LENGTH = "Filters have a {max} character limit."  # [DOC]
FILTER_UNTERMINATED = "Unterminated quoted text; a quote inside a value is written twice ('')."
FILTER_CHARACTER = "Unexpected character '{char}'."
FILTER_DOUBLE_QUOTE = "Statements and values are wrapped in single quotes, not double quotes."
FILTER_WORD = "Unexpected '{word}'; expected AND, OR, NOT, EXISTS or STATUS."
FILTER_EXPECTED_TERM = "Expected a comparison, EXISTS(...), STATUS(...), NOT or '('."
FILTER_EXPECTED_STATEMENT = "Expected a statement in single quotes, as in '{{Contact.Id}}'."
FILTER_EXPECTED_OPERATOR = "Expected a comparison operator: = != > >= < <= ~."
FILTER_EXPECTED_VALUE = "Expected a value in single quotes."
FILTER_EXPECTED = "Expected '{token}'."
FILTER_TRAILING = "Expected AND, OR or the end of the filter."
FILTER_NESTING = "The filter nests too deeply (at most {max} levels)."
FILTER_COMPARE_KIND = (
    "Only field statements can be compared; containers go in EXISTS(...) and service "
    "instances in STATUS(...)."
)
FILTER_EXISTS_KIND = "EXISTS accepts ContactList, ContactSegment, ContactFilter or AccountList."
FILTER_STATUS_KIND = "STATUS accepts ActionInstance or DecisionInstance statements."
FILTER_ONE_EXISTS = "You can only use one EXISTS operator in a filter."  # [DOC] paraphrase
FILTER_ONE_STATUS = "You can only use one STATUS operator in a filter."  # [DOC] paraphrase
FILTER_EXISTS_ENTITY = (
    "The {kind} EXISTS operator can only be used in filters for {entity} exports."
)
FILTER_STATUS_ENTITY = (
    "STATUS can only be used in filters for contact, custom object or campaign response exports."
)
FILTER_STATUS_OPERATOR = "STATUS is compared with = or !=."
FILTER_STATUS_VALUE = "Must be one of: {values} for {kind}."
FILTER_ACTIVITY_CONTACT_FIELD = "Contact fields cannot be used in the filter for activity exports."
FILTER_SEGMENT_RULE = (
    "With EXISTS on a contact segment, a filter may add at most two date criteria on "
    "{{Contact.UpdatedAt}}, {{Contact.CreatedAt}}, {{Contact.Field(C_DateModified)}} or "
    "{{Contact.Field(C_DateCreated)}}, as: segment AND date, segment AND date AND date, or "
    "segment AND (date OR date)."
)  # 19B notice, reference §7
FILTER_DATE_VALUE = "Must be a date such as 'YYYY-MM-DD HH:MM:SS' for {statement}."

# Outcomes on demand and run-time progression (control plane, domain/outcomes, core/policies).
OUTCOME_UNKNOWN_KEY = "Not a property of a forced outcome: {allowed}."
OUTCOME_SITE = "Must be the name of a site."
OUTCOME_STATUS = "Must be one of error, warning, active."
OUTCOME_TARGET = "Name a definition or a sync (exactly one)."
OUTCOME_DEFINITION = "Must be the URI of an import, export or sync action definition."
OUTCOME_DEFINITION_UNKNOWN = "No such definition in the site."
OUTCOME_SYNC = "Must be a sync URI, such as /syncs/12."
OUTCOME_SYNC_STARTED = "The sync has started; only a pending sync takes an outcome."
OUTCOME_SYNC_TAKEN = "The sync has a forced outcome already."
OUTCOME_LOG = "Must be an object with statusCode (ELQ-nnnnn), and optionally message and count."
OUTCOME_LOG_ONLY_ERROR = "A log line is forced with status error only."
OUTCOME_CODE = "Must be an Eloqua status code of the form ELQ-nnnnn."
OUTCOME_MESSAGE = "Must be a string of at most 1000 characters."
OUTCOME_COUNT = "Must be an integer of at least 0."
OUTCOME_REJECTS = "Must be an integer of at least 0."
OUTCOME_REJECTS_ONLY_WARNING = "Rejects are forced with status warning only."
OUTCOME_REJECTS_KIND = (
    "Only imports of contacts, accounts, custom objects, events, opportunities and campaign "
    "responses reject rows; force error or active for this definition."
)
OUTCOME_ID_UNKNOWN = "No forced outcome with this id."
OUTCOME_APPLIED = "The outcome is being applied to its sync; it goes when the sync ends."
SYNC_NOT_HELD = "No forced active outcome holds this sync."
PROGRESSION_POLICY = "Must be immediate, manual, polls:N (N from 1 to 9999) or seconds:S."
PROGRESSION_UNKNOWN_KEY = "Not a property of a progression policy: policy, site, sync."
PROGRESSION_SYNC_SITE = "A sync's policy needs its site."
PROGRESSION_NO_OVERRIDE = "No policy is set for this {target}."

# Faults, the request journal and sync timelines (control plane; domain/faults,
# http/journal, domain/timeline). [INF]: the emulator's own texts.
FAULT_UNKNOWN_PROPERTY = "Not a property of a fault rule."
FAULT_OUTCOME = "A rule needs status, latencyMs or fault; status and fault exclude each other."
FAULT_PATH = (
    "Must be a path pattern starting with '/', at most 500 characters "
    "(* and ? within a segment, ** across segments)."
)
FAULT_METHOD = "Must be null (any) or one of: {values}."
FAULT_SITE = "Must be null (any) or a site name of 1 to 100 characters."
FAULT_STATUS = "Must be one of: {values}."
FAULT_KIND = "Must be 'connection_reset'."
FAULT_PROBABILITY = "Must be a number from 0 to 1."
FAULT_SEED = "Must be an integer."
FAULT_TIMES = "Must be null (forever) or an integer from 1 to {high}."
FAULT_LATENCY = (
    'Must be milliseconds from 0 to {high}, {{"dist": "uniform", "min": ms, "max": ms}} '
    'or {{"dist": "lognormal", "median": ms, "sigma": s}}.'
)
FAULT_RETRY_AFTER = "Must be null (no Retry-After) or whole seconds from 0 to 86400."
FAULT_SEVERITY = "Must be an integer from 0 to 3."
FAULT_ERROR = "Must be a string of 1 to 500 characters."
FAULT_ONLY_WITH = "Only allowed with status {statuses}."
FAULT_RULES_LIST = "Must be a JSON array of fault rules."
FAULT_UNKNOWN = "No fault rule has this id."
FAULT_TOO_MANY_REQUESTS = "Too Many Requests"  # reference §13.2, the status text
FAULT_UNAVAILABLE = "The service is unavailable."  # reference §13.2: 503 timeout/unavailable
JOURNAL_STATUS = "Must be an HTTP status such as 404, or a class such as 5xx."
JOURNAL_SINCE = "Must be an ISO 8601 time such as 2026-01-01T00:00:00Z, or epoch seconds."
JOURNAL_LIMIT = "Must be an integer from 1 to {high}."
JOURNAL_PATH = "Must be a path pattern starting with '/'."
REQUEST_MALFORMED = "Must be a well-formed HTTP/1.1 request."
REQUEST_HEAD_TIMEOUT = "The request line and headers must arrive within {seconds:g} seconds."
REQUEST_BODY_TIMEOUT = "The request body must arrive within {seconds:g} seconds."
REQUEST_LINE_TOO_LONG = "The request line must be at most {kb} KB."
REQUEST_HEADERS_TOO_LARGE = "The request headers must be at most {kb} KB in all."
