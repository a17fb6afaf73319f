"""Every message the Acoustic service answers with, as a named constant.

Acoustic publishes no BEX error text: apart from the wording borrowed from its other REST
endpoints (noted [D3]) these are the emulator's [INF], kept here so a capture from a real
pod changes one line each. Field errors are keyed by the field's JSON path
(``channels[0].jobFrequency``), so the messages do not repeat the field's name.
"""

from __future__ import annotations

from emulator.acoustic.core import rules

_FREQUENCIES = ",".join(str(f) for f in rules.JOB_FREQUENCIES)

# the request as a whole (general errors)
BODY_INVALID = "Invalid request body"
BODY_TOO_LARGE = "Invalid request body: larger than {limit} bytes"
CONTENT_TYPE = "Content-Type must be application/json"
UNEXPECTED = (  # [D3]
    "An unexpected error occurred. If the problem continues, please contact your system "
    "administrator."
)
RESOURCE_UNKNOWN = "Resource not found: {path}"
METHOD_NOT_ALLOWED = "Request method {method} is not supported here"
NOT_AUTHORIZED = "User is not authorized to perform this operation"
JOB_ID_INVALID = "Invalid job definition id: {value}"
JOB_NOT_FOUND = "Job definition not found"
DATABASE_NOT_FOUND = "Database not found"  # [D3, the contact API's wording]
JOB_EXISTS = "Job definition already exists for this contact source"

# fields (fieldErrors)
REQUIRED = "Required"
NOT_OBJECT = "Must be a JSON object"
NOT_ARRAY = "Must be an array"
CONTACT_SOURCE_FORMAT = "Must be the numeric id of a database"
NOT_A_DATABASE = "contactSourceId must be a database; contact lists and queries are not accepted"
CONTACT_SOURCE_CHANGED = "The contact source of a job definition cannot be changed"
NOT_AN_EMAIL = "Argument was not a valid email"  # [D3]
FTP_USER_UNKNOWN = "Not a user of this organization"
FTP_USER_NOT_ADMIN = "The user is not an Org Admin"
FTP_USER_NO_FOLDER = "The user's FTP folder does not exist: the user must log in to FTP once"
CHANNELS_FORMAT = "Must be a non-empty array of channels"
CHANNEL_DUPLICATE = "Only one channel of each type is allowed"
CHANNEL_TYPE = "{value} is not a supported channel type; the only supported type is Email"
JOB_FREQUENCY = f"{{value}} is not a valid job frequency; valid values are {_FREQUENCIES}"
FILE_FORMAT = (
    f"{{value}} is not a valid export file format; valid values are {','.join(rules.FILE_FORMATS)}"
)
FILE_NAME = (
    f"Must be text of at most {rules.FILE_NAME_MAX} characters without control characters "
    'or any of / \\ : * ? " < > |'
)
ITEM_FORMAT = "Must be an object with {key}"
MAILING_TYPE_INVALID = (
    f"{{value}} is not a valid mailing type; valid values are {','.join(rules.MAILING_TYPES)}"
)
EVENT_TYPE_INVALID = (
    f"{{value}} is not a valid event type; valid values are {','.join(rules.EVENT_TYPES)}"
)
TOO_MANY_COLUMNS = f"At most {rules.MAX_COLUMNS} columns can be exported"
COLUMN_NAME = "Must be the name of a column of the database"
COLUMN_UNKNOWN = "{value} is not a column of the database"
COLUMN_DUPLICATE = "{value} is listed more than once"
COLUMN_ORDER = "Must be a whole number from 0 to {last}, one for each column"
COLUMN_ORDER_DUPLICATE = "{value} is used more than once"
ID_REQUIRED = "Required on PUT: the id of the job definition"
ID_FORMAT = "Must be the job definition's numeric id"
ID_MISMATCH = "{value} does not match the id in the path, {path}"

# OAuth (RFC 6749 §5.2 codes; descriptions [INF])
INVALID_TOKEN = "invalid_token"
TOKEN_MISSING = "Full authentication is required: send Authorization: Bearer <access_token>"
TOKEN_UNKNOWN = "Invalid access token: {token}"
TOKEN_EXPIRED = "Access token expired: {token}"
INVALID_CLIENT = "invalid_client"
CLIENT_REFUSED = "Bad client credentials"
INVALID_GRANT = "invalid_grant"
REFRESH_REFUSED = "Invalid refresh token: {token}"
INVALID_REQUEST = "invalid_request"
PARAMETER_MISSING = "Missing parameter: {name}"
REQUEST_UNREADABLE = "The token request is not a form or query string of text parameters"
UNSUPPORTED_GRANT = "unsupported_grant_type"
GRANT_REFUSED = "Unsupported grant type: {value}"

# The control plane's Acoustic operations (/_emulator/acoustic/…: events, rotations and
# files). Not Acoustic's: the emulator's own, in the control plane's failure shape.
EVENTS_BODY = 'The body must be an object {"events": [event, …]}'
EVENTS_COUNT = "events must be an array of 1 to {limit} events"
EVENT_NOT_OBJECT = "An event must be a JSON object"
EVENT_KEY_UNKNOWN = "Unknown key; an event takes {keys}"
EVENT_REQUIRED = "Required"
EVENT_ID_FORMAT = "Must be a positive integer id (a number or a string of digits)"
EVENT_TYPE = "Must be one of " + ", ".join(rules.EVENT_TYPES)
EVENT_MAILING_TYPE = "Must be one of " + ", ".join(rules.MAILING_TYPES)
EVENT_TIMESTAMP = (
    "Must be an ISO 8601 date-time (2025-03-01T09:30:00Z; no offset means UTC), not after "
    "the emulator's clock"
)
EVENT_TEXT = "Must be a string or an integer of at most {limit} characters"
EVENT_CHOICE = "Must be one of {choices}"
EVENT_ONLY_ON = "Only an event of type {types} carries {key}"
EVENT_DATABASE = "No Acoustic database has this id (contact lists and queries hold no events)"
EVENT_CONTACT = "No contact of database {database} has this id"
ROTATE_JOB_UNKNOWN = "No BEX job definition has this id"
FILE_UNKNOWN = "No export file of this name was written for this FTP user"
FILE_GONE = "The export file was written, but is no longer in the FTP folder"
FILES_JOB_ID = "Must be a job definition id (digits)"
