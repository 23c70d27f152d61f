package jsonapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// checkDuplicates rejects a document in which any object, at any depth,
// names the same member twice. encoding/json silently keeps the last
// duplicate while other parsers (a proxy, an audit log) may keep the
// first, so {"amount":1,"amount":1000} could mean two different things;
// a request must mean the same to every reader. body must be valid JSON.
func checkDuplicates(body []byte) *Error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // so 1e999 is not an error
	var stack []*dupFrame
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return malformed()
		}
		var top *dupFrame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.wantKey {
			if tok == json.Delim('}') {
				stack = stack[:len(stack)-1]
				continue
			}
			key, _ := tok.(string)
			if _, dup := top.keys[key]; dup {
				return BadRequest(CodeDuplicateMember, fmt.Sprintf("The member %q appears more than once.", key)).
					WithPointer(top.pointer + "/" + escapePointer(key))
			}
			top.keys[key] = struct{}{}
			top.key, top.wantKey = key, false
			continue
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			child := &dupFrame{pointer: top.childPointer(), object: tok == json.Delim('{')}
			if child.object {
				child.keys, child.wantKey = map[string]struct{}{}, true
			}
			top.advance()
			stack = append(stack, child)
		case json.Delim(']'):
			stack = stack[:len(stack)-1]
		default:
			top.advance()
		}
	}
}

// dupFrame is one open object or array in checkDuplicates.
type dupFrame struct {
	pointer string
	object  bool
	keys    map[string]struct{}
	key     string // current member, for objects
	wantKey bool   // next token is a member name or '}'
	index   int    // next element, for arrays
}

// childPointer is the JSON Pointer of the value about to be read in f; f
// is nil at the top level.
func (f *dupFrame) childPointer() string {
	switch {
	case f == nil:
		return ""
	case f.object:
		return f.pointer + "/" + escapePointer(f.key)
	default:
		return f.pointer + "/" + strconv.Itoa(f.index)
	}
}

// advance records that a value was consumed in f.
func (f *dupFrame) advance() {
	switch {
	case f == nil:
	case f.object:
		f.wantKey = true
	default:
		f.index++
	}
}
