package jsonapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// jsonObject is one decoded JSON object of a request document, with its
// member values still raw.
type jsonObject map[string]json.RawMessage

// decodeObject decodes raw as an object; ok is false for any other JSON
// value. raw comes from a document that already passed json.Valid and
// checkDuplicates, so no other failure is possible.
func decodeObject(raw json.RawMessage) (obj jsonObject, ok bool) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, false
	}
	return obj, json.Unmarshal(trimmed, &obj) == nil
}

// requireObject decodes raw as an object and turns any other JSON value
// into a 400 pointing at it.
func requireObject(raw json.RawMessage, pointer, what string) (jsonObject, *Error) {
	obj, ok := decodeObject(raw)
	if !ok {
		return nil, invalidDoc(pointer, what+" must be an object.")
	}
	return obj, nil
}

// memberObject returns obj's member name, which must be an object when present; an absent
// member is an empty object.
func (obj jsonObject) memberObject(pointer, name string) (jsonObject, *Error) {
	raw, ok := obj[name]
	if !ok {
		return jsonObject{}, nil
	}
	return requireObject(raw, pointer+"/"+name, name)
}

// onlyMembers rejects members of obj that are not in allowed.
func (obj jsonObject) onlyMembers(pointer string, allowed ...string) *Error {
	for _, k := range obj.sortedKeys() {
		if !slices.Contains(allowed, k) {
			return BadRequest(CodeUnknownMember,
				fmt.Sprintf("The member %q is not allowed here.", k)).WithPointer(pointer + "/" + escapePointer(k))
		}
	}
	return nil
}

// sortedKeys returns the member names in a stable order, so errors are
// reproducible.
func (obj jsonObject) sortedKeys() []string {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// stringMember returns obj[name] as a non-empty string. present is false
// when the member is absent.
func (obj jsonObject) stringMember(pointer, name string) (s string, present bool, err *Error) {
	raw, ok := obj[name]
	if !ok {
		return "", false, nil
	}
	if json.Unmarshal(raw, &s) != nil || s == "" {
		return "", true, invalidDoc(pointer+"/"+name, fmt.Sprintf("%q must be a non-empty string.", name))
	}
	return s, true, nil
}

// isNull reports whether raw is the JSON literal null.
func isNull(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "null"
}

// escapePointer escapes a member name as a JSON Pointer reference token
// (RFC 6901).
func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// malformed is the 400 for a body that is not JSON. Its pointer is "/", the
// convention this API uses for "the whole document".
func malformed() *Error {
	return BadRequest(CodeMalformedJSON, "The request body is not valid JSON.").WithPointer("/")
}

// invalidDoc is the 400 for a JSON body that breaks JSON:API structure.
func invalidDoc(pointer, detail string) *Error {
	return BadRequest(CodeInvalidDocument, detail).WithPointer(pointer)
}

// parseTop validates the top level of a request document and returns its
// data member.
func parseTop(body []byte) (json.RawMessage, *Error) {
	if !json.Valid(body) {
		return nil, malformed()
	}
	if err := checkDuplicates(body); err != nil {
		return nil, err
	}
	if hasNUL(body) {
		return nil, New(http.StatusBadRequest, CodeInvalidDocument, "Text may not contain the NUL character (\\u0000).").WithPointer("/")
	}
	top, ok := decodeObject(body)
	if !ok {
		return nil, invalidDoc("/", "The request document must be a JSON object.")
	}
	if err := top.onlyMembers("", "data", "meta", "jsonapi", "links"); err != nil {
		return nil, err
	}
	for _, m := range []string{"meta", "jsonapi", "links"} {
		if raw, ok := top[m]; ok {
			if _, err := requireObject(raw, "/"+m, m); err != nil {
				return nil, err
			}
		}
	}
	data, present := top["data"]
	if !present {
		return nil, invalidDoc("/data", "The request document must have a data member.")
	}
	return data, nil
}

// hasNUL reports whether any string of the (valid) JSON document holds U+0000. Databases
// refuse that character in text, so it is a client error here rather than a server error later.
func hasNUL(body []byte) bool {
	if !bytes.Contains(body, []byte(`\u0000`)) {
		return false // the only way to write U+0000 in JSON is this escape
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		if s, ok := tok.(string); ok && strings.ContainsRune(s, 0) {
			return true
		}
	}
}
