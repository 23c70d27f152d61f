package portal_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/textproto"
)

// multipartBody builds a multipart/form-data body: the fields first, as the upload form
// sends its CSRF token, then the part "file".
func multipartBody(fields map[string]string, filename, contentType string, content []byte) ([]byte, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, filename))
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	part, _ := w.CreatePart(h)
	_, _ = part.Write(content)
	_ = w.Close()
	return buf.Bytes(), w.FormDataContentType()
}
