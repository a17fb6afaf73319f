"""Every user-facing message, as named constants, each with its source.

No error text is typed anywhere else (stripe-mock's rule). Sources are sections of
``shared/eloqua-bulk-reference.md``; texts marked [INF] are ours, in Eloqua's style, where
Oracle publishes none.
"""

from __future__ import annotations

# HTTP status texts, reference §13.2 (Oracle's "HTTP status codes" page).
PARSING_ERROR = "There was a parsing error."
VALIDATION_ERROR = "There was a validation error."
LOGIN_REQUIRED = "Login required."
NOT_AUTHORIZED = "You are not authorized to make this request."
NOT_FOUND = "The requested resource was not found."
METHOD_NOT_ALLOWED = "The requested method is not supported by this resource."  # [INF]
CONFLICT = "There was a conflict."
STORAGE_EXCEEDED = "Storage space exceeded."
SERVICE_ERROR = "The service has encountered an error."
UNSUPPORTED_MEDIA_TYPE = "The content type of the request is not supported."  # [INF]

# /id failure body, reference §2.1.
NOT_AUTHENTICATED = "Not authenticated."

# Authorization header problems, reference §2.3. [INF]: the pod answers 401 with its own text.
AUTH_MISSING = "An Authorization header with Basic or Bearer credentials is required."
AUTH_MALFORMED = "Must be 'Basic base64(Site\\User:password)' or 'Bearer <token>'."
AUTH_BASIC_FORM = "Must be base64 of 'Site\\User:password' with a site and a user name."
AUTH_REFUSED = "Unknown user or wrong password."
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
ENUM_VALUE = "Must be one of: {values}."

# Routing, reference §13.2.
ROUTE_UNKNOWN = NOT_FOUND
RESOURCE_UNKNOWN = NOT_FOUND

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
