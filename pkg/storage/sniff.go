package storage

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"

	"github.com/gabriel-vasile/mimetype"

	"github.com/caseroom/caseroom/pkg/apperr"
)

// sniffLen is how much of a body Sniff looks at: what net/http.DetectContentType reads,
// and enough for mimetype to recognise markup, scripts and executables.
const sniffLen = 512

// Sniff checks an upload's declared content type against its first bytes and returns the
// type to store it under, with a body that still yields every byte of r.
//
// Content detection uses gabriel-vasile/mimetype rather than net/http.DetectContentType:
// it is already compiled in (through the validator), and unlike net/http, whose sniffer
// only knows what browsers render, it recognises executables (PE, ELF, Mach-O), SVG and
// scripts, the content a mismatch check exists to catch.
//
// Sniff refuses with apperr.Invalid when the content is active (HTML, SVG, XML, scripts)
// or executable and the client declared some other specific type, such as HTML sent as
// image/png: that file would run when a browser or a user trusts its declared type. A
// declared type that is merely wrong but harmless (a JPEG declared image/png) is kept,
// since refusing it would only annoy. An empty or generic declaration
// (application/octet-stream) makes no claim, so the detected type is used. Whatever
// Sniff accepts must still be served with "Content-Disposition: attachment" and
// "X-Content-Type-Options: nosniff", because an honest text/html upload is still HTML.
func Sniff(r io.Reader, declared string) (contentType string, body io.Reader, err error) {
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return "", nil, fmt.Errorf("sniff upload: %w", err)
	}
	head = head[:n]
	body = io.MultiReader(bytes.NewReader(head), r)
	detected := mimetype.Detect(head)

	declaredType, params, perr := mime.ParseMediaType(declared)
	if strings.TrimSpace(declared) == "" || (perr == nil && declaredType == "application/octet-stream") {
		return detected.String(), body, nil
	}
	if perr != nil {
		return "", nil, fmt.Errorf("sniff upload: %w", apperr.E(apperr.Invalid, "the declared content type %q is malformed", declared))
	}
	if dangerous(detected) && !matches(detected, declaredType) {
		return "", nil, fmt.Errorf("sniff upload: %w", apperr.E(apperr.Invalid,
			"the file is declared as %s but its content is %s", declaredType, base(detected)))
	}
	return mime.FormatMediaType(declaredType, params), body, nil
}

// dangerousTypes are contents that run when opened: markup and scripts in a browser,
// programs on a desktop. A type's descendants in mimetype's tree count too (RSS is XML).
var dangerousTypes = map[string]bool{
	"text/html":             true,
	"application/xhtml+xml": true,
	"image/svg+xml":         true,
	"text/xml":              true,
	"text/javascript":       true,
	"text/x-shellscript":    true,
	"text/x-php":            true,
	"text/x-python":         true,
	"text/x-perl":           true,
	"text/x-ruby":           true,
	"text/x-lua":            true,
	"text/x-tcl":            true,
	"application/vnd.microsoft.portable-executable": true,
	"application/x-elf":                             true,
	"application/x-mach-binary":                     true,
	"application/x-java-applet":                     true,
	"application/x-shockwave-flash":                 true,
	"application/vnd.ms-htmlhelp":                   true,
	"application/x-ms-shortcut":                     true,
}

func dangerous(m *mimetype.MIME) bool {
	for ; m != nil; m = m.Parent() {
		if dangerousTypes[base(m)] {
			return true
		}
	}
	return false
}

// matches reports whether declared names the detected type, an alias of it, or one of
// its specific ancestors (text/xml for an RSS feed). The roots text/plain and
// application/octet-stream do not count: text/plain does not describe HTML.
func matches(m *mimetype.MIME, declared string) bool {
	for ; m != nil; m = m.Parent() {
		if b := base(m); b == "text/plain" || b == "application/octet-stream" {
			return false
		}
		if m.Is(declared) {
			return true
		}
	}
	return false
}

// base is a detected type without parameters ("text/html", not "text/html; charset=utf-8").
func base(m *mimetype.MIME) string {
	t, _, _ := strings.Cut(m.String(), ";")
	return strings.TrimSpace(t)
}
