package jsonapi

// Error codes are short, stable strings that clients may switch on. They are
// part of the API contract: add new ones, never rename.
const (
	// CodeUnsupportedMediaType: the request body is not a JSON:API document,
	// or its media type carries parameters or extensions we do not support.
	CodeUnsupportedMediaType = "unsupported_media_type"
	// CodeNotAcceptable: every JSON:API media type in Accept is one we cannot
	// produce.
	CodeNotAcceptable = "not_acceptable"

	// CodeInvalidQueryParameter: a query parameter is malformed, repeated or
	// reserved by JSON:API without being supported by the endpoint.
	CodeInvalidQueryParameter = "invalid_query_parameter"
	// CodeInvalidInclude: an include path the endpoint does not offer.
	CodeInvalidInclude = "invalid_include"
	// CodeIncludeTooDeep: an include path longer than the endpoint allows.
	CodeIncludeTooDeep = "include_too_deep"
	// CodeInvalidSort: a sort field the endpoint does not offer.
	CodeInvalidSort = "invalid_sort"
	// CodeInvalidFilter: a filter the endpoint does not offer.
	CodeInvalidFilter = "invalid_filter"
	// CodeInvalidPage: page[number] or page[size] is not a positive integer.
	CodeInvalidPage = "invalid_page"
	// CodeInvalidFields: a malformed sparse fieldset.
	CodeInvalidFields = "invalid_fields"

	// CodeMalformedJSON: the request body is not valid JSON.
	CodeMalformedJSON = "malformed_json"
	// CodeInvalidDocument: the body is JSON but not a valid JSON:API
	// request document (missing data, wrong member types, ...).
	CodeInvalidDocument = "invalid_document"
	// CodeUnknownMember: a member that JSON:API does not allow at that place.
	CodeUnknownMember = "unknown_member"
	// CodeDuplicateMember: the same member name appears twice in one object;
	// rejected so that two parsers can never disagree about the value.
	CodeDuplicateMember = "duplicate_member"
	// CodeTypeMismatch: a resource or identifier type differs from what the
	// endpoint expects (409).
	CodeTypeMismatch = "type_mismatch"
	// CodeIDMismatch: the body's id differs from the URL's id (409).
	CodeIDMismatch = "id_mismatch"
	// CodeClientIDUnsupported: the client sent an id on create (403).
	CodeClientIDUnsupported = "client_id_unsupported"
	// CodeUnknownAttribute: an attribute the endpoint does not accept.
	CodeUnknownAttribute = "unknown_attribute"
	// CodeInvalidAttribute: an attribute value of the wrong JSON type.
	CodeInvalidAttribute = "invalid_attribute"
	// CodeForbiddenAttribute: an attribute the caller may not set (403).
	CodeForbiddenAttribute = "forbidden_attribute"
	// CodeUnknownRelationship: a relationship the endpoint does not accept.
	CodeUnknownRelationship = "unknown_relationship"
	// CodeInvalidRelationship: relationship data of the wrong shape (to-one
	// where to-many is expected, missing data, ...).
	CodeInvalidRelationship = "invalid_relationship"
	// CodeForbiddenRelationship: a relationship the caller may not set (403).
	CodeForbiddenRelationship = "forbidden_relationship"

	// CodeInternal: something failed on the server; details are in the log
	// under the request ID, never in the response.
	CodeInternal = "internal_error"
)
