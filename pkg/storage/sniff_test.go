package storage_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/caseroom/caseroom/pkg/storage"
)

var (
	pngBytes  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	jpegBytes = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
	peBytes   = append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), make([]byte, 100)...)
	elfBytes  = append([]byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00"), make([]byte, 100)...)
	pdfBytes  = []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
	htmlBytes = []byte("<html><body><script>alert(document.cookie)</script></body></html>")
	svgBytes  = []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
)

func TestSniff(t *testing.T) {
	tests := []struct {
		name     string
		declared string
		content  []byte
		want     string // stored content type; "" when refused
	}{
		{"png declared png", "image/png", pngBytes, "image/png"},
		{"html declared png", "image/png", htmlBytes, ""},
		{"html declared png, upper case tag", "image/png", []byte("<HTML><BODY>x</BODY></HTML>"), ""},
		{"windows executable declared png", "image/png", peBytes, ""},
		{"linux executable declared pdf", "application/pdf", elfBytes, ""},
		{"svg declared png", "image/png", svgBytes, ""},
		{"html declared text", "text/plain", htmlBytes, ""},
		{"shell script declared text", "text/plain", []byte("#!/bin/sh\nrm -rf /\n"), ""},
		{"html declared html", "text/html; charset=utf-8", htmlBytes, "text/html; charset=utf-8"},
		{"svg declared svg", "image/svg+xml", svgBytes, "image/svg+xml"},
		{"harmless mismatch keeps the declaration", "image/png", jpegBytes, "image/png"},
		{"pdf declared pdf", "application/pdf", pdfBytes, "application/pdf"},
		{"no declaration uses the content", "", pdfBytes, "application/pdf"},
		{"generic declaration uses the content", "application/octet-stream", pngBytes, "image/png"},
		{"generic declaration of html is stored as html", "application/octet-stream", htmlBytes, "text/html; charset=utf-8"},
		{"empty file", "text/plain", nil, "text/plain"},
		{"malformed declaration", "image/", pngBytes, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, body, err := storage.Sniff(bytes.NewReader(tt.content), tt.declared)
			if tt.want == "" {
				if !errors.Is(err, errInvalid) {
					t.Fatalf("Sniff = %q, %v; want apperr.Invalid", got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Sniff = %q, %v; want %q", got, err, tt.want)
			}
			if b, _ := io.ReadAll(body); !bytes.Equal(b, tt.content) {
				t.Fatalf("body = %q, want the whole content", b)
			}
		})
	}
}

func TestSniffKeepsTheWholeBody(t *testing.T) {
	content := append(append([]byte(nil), pdfBytes...), strings.Repeat("stream data ", 10_000)...)
	_, body, err := storage.Sniff(bytes.NewReader(content), "application/pdf")
	if err != nil {
		t.Fatalf("Sniff: %v", err)
	}
	if b, _ := io.ReadAll(body); !bytes.Equal(b, content) {
		t.Fatalf("body has %d bytes, want %d", len(b), len(content))
	}
}
