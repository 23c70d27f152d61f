package httpx_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/pkg/storage"
)

// fuzzUploadLimit is the largest file the fuzzed upload route takes.
const fuzzUploadLimit = 64 << 10

// uploadApp is an upload route as both services mount it: streamed bodies capped by Bodies,
// panics recovered into 500s, OpenUpload for the multipart framing and its fields, then the
// file part streamed into a store on disk (storage.Receive, as cases.FileStore.AddFile does).
func uploadApp(t testing.TB) *fiber.App {
	t.Helper()
	store, err := storage.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	limits := httpx.BodyLimits{Document: 1 << 20, Upload: fuzzUploadLimit + httpx.MultipartSlack, IsUpload: func(*fiber.Ctx) bool { return true }}
	cfg := fiber.Config{ErrorHandler: httpx.ErrorHandler(slog.New(slog.NewTextHandler(io.Discard, nil))), DisableStartupMessage: true}
	httpx.StreamingConfig(&cfg, limits)
	a := fiber.New(cfg)
	a.Use(recover.New(), httpx.Bodies(limits))
	a.Post("/upload", func(c *fiber.Ctx) error {
		part, fields, err := httpx.OpenUpload(c)
		if err != nil {
			return err
		}
		for k, v := range fields {
			if !httpx.IsText(k) || !httpx.IsText(v) {
				return fmt.Errorf("field %q=%q is not text", k, v) // a 500: fails the fuzz
			}
		}
		got, err := storage.Receive(c.UserContext(), store, 1, part, part.Header.Get(fiber.HeaderContentType), fuzzUploadLimit)
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"size": got.Size, "type": got.ContentType})
	})
	return a
}

// multipartSeed is a well-formed upload: fields, then the file.
func multipartSeed(fields map[string]string, name, ctype string, content []byte) (boundary string, body []byte) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{`form-data; name="file"; filename="` + name + `"`}
	h["Content-Type"] = []string{ctype}
	p, _ := w.CreatePart(h)
	_, _ = p.Write(content)
	_ = w.Close()
	return w.Boundary(), buf.Bytes()
}

// Whatever bytes an authenticated caller sends to an upload route, whole or chunked, the
// answer is a file stored or a client error: never a 5xx, never a panic.
func FuzzOpenUpload(f *testing.F) {
	b, body := multipartSeed(map[string]string{"csrf": "token", "phase": "3"}, "notes.txt", "text/plain", []byte("notes"))
	f.Add(b, body, false)
	f.Add(b, body, true)
	f.Add(b, body[:len(body)/2], false)
	f.Add(b, bytes.ReplaceAll(body, []byte(`name="file"`), []byte(`name="data"`)), false)
	f.Add(b, bytes.ReplaceAll(body, []byte("token"), []byte("to\x00ken")), true)
	b, body = multipartSeed(nil, "page.html", "image/png", []byte("<html><script>alert(1)</script>"))
	f.Add(b, body, false)
	b, body = multipartSeed(nil, "../../etc/passwd", "application/octet-stream", bytes.Repeat([]byte{0}, 2*fuzzUploadLimit))
	f.Add(b, body, true)
	f.Add("", []byte{}, false)
	f.Add(`"quoted boundary"`, []byte("--quoted boundary\r\n\r\n--quoted boundary--"), false)
	addr := serveFuzz(f, uploadApp(f))
	client := &http.Client{Timeout: 10 * time.Second}
	f.Fuzz(func(t *testing.T, boundary string, body []byte, chunked bool) {
		if strings.ContainsFunc(boundary, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			t.Skip("not a header value a client sends")
		}
		var r io.Reader = bytes.NewReader(body)
		if chunked {
			r = struct{ io.Reader }{r} // a length the client cannot know: it sends chunks
		}
		req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/upload", r)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
		resp, err := client.Do(req)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatalf("no answer: %v", err)
			}
			return // the server answered early (413) and closed while the body was still being sent
		}
		defer resp.Body.Close()
		if resp.StatusCode >= 500 {
			answer, _ := io.ReadAll(resp.Body)
			t.Fatalf("status %d: %s", resp.StatusCode, answer)
		}
	})
}

// serveFuzz serves app on a local port until the fuzz target ends: chunked bodies need a
// real connection (app.Test always sends a Content-Length).
func serveFuzz(f *testing.F, app *fiber.App) string {
	f.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		f.Fatal(err)
	}
	go app.Listener(ln) //nolint:errcheck // ends with Shutdown
	f.Cleanup(func() { _ = app.Shutdown() })
	return ln.Addr().String()
}
