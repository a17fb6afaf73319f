"""BEX's documented value sets and defaults (reference §2.1, §5, §6), in one place."""

from __future__ import annotations

CHANNEL_TYPES = ("Email",)  # "Supported channel type is only Email" [DOC D1]
JOB_FREQUENCIES = (1, 2, 3, 4, 6, 8, 12, 24)  # hours [DOC D1]
FILE_FORMATS = ("CSV", "PSV", "TSV")  # [DOC D1]
DEFAULT_FILE_FORMAT = "CSV"  # [DOC D1]
# D1 shows the default term as 'Recipient Event Bulk Export_'; the channel, timestamp and
# frequency are appended when a file is named (reference §6)
DEFAULT_FILE_NAME = "Recipient Event Bulk Export_"
FILE_NAME_MAX = 200  # no limit is documented [INF]
FILE_NAME_FORBIDDEN = frozenset('/\\:*?"<>|')
MAILING_TYPES = ("SendExperience", "Programs", "AMG", "AutoResponder", "ABTest")  # [DOC D1]
EVENT_TYPES = (  # [DOC D1]
    "emailClick",
    "emailSend",
    "emailSuppressed",
    "emailOpen",
    "emailBounce",
    "emailOptOut",
)
MAX_COLUMNS = 5  # custom columns per definition [DOC D1]

# The columns every export file starts with, in this order [DOC D1 names; INF order];
# the requested custom columns follow, in columnOrder (reference §6).
STANDARD_COLUMNS = (
    "Email",
    "RECIPIENT_ID",
    "ENCODED_RECIPIENT_ID",
    "contactId",
    "code",
    "messageId",
    "userAgent",
    "messageName",
    "mailingTemplateId",
    "subjectLine",
    "docType",
    "reportId",
    "sendType",
    "bounceType",
    "urlDescription",
    "clickUrl",
    "optOutDetails",
    "messageGroupId",
    "programId",
    "timestamp",
    "originatedFrom",
    "eventId",
    "externalSystemName",
    "externalSystemReferenceId",
    "trackingCode",
)

# Contact sources: only a database may be exported [DOC D1, D2]
DATABASE = "database"
CONTACT_LIST = "contact_list"
QUERY = "query"
SOURCE_KINDS = (DATABASE, CONTACT_LIST, QUERY)

# Tokens (reference §5): 4 hours; asked again within 3 hours, the same token [DOC D5, D7]
TOKEN_LIFETIME = 4 * 3600
TOKEN_REUSE = 3 * 3600
GRANT_TYPE = "refresh_token"
