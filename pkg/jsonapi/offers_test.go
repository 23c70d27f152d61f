package jsonapi

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"
)

func TestPreferred(t *testing.T) {
	const csv = "text/csv"
	tests := []struct {
		accept, want string
	}{
		{"", MediaType},
		{",,;;==", MediaType},
		{MediaType, MediaType},
		{"*/*", MediaType},
		{"application/json", MediaType},
		{csv, csv},
		{"text/*", csv},
		{"TEXT/CSV", csv},
		{csv + "; charset=utf-8", csv},
		{csv + ", */*", csv},
		{"*/*, " + csv, csv},
		{csv + ", " + MediaType, csv},
		{MediaType + ", " + csv, MediaType},
		{csv + ";q=0.5, " + MediaType, MediaType},
		{MediaType + ";q=0.5, " + csv, csv},
		{csv + ";q=0, */*", MediaType},
		{csv + ";q=0", MediaType},
		{MediaType + `; ext="https://jsonapi.org/ext/atomic", ` + csv + ";q=0.1", csv},
		{MediaType + `; profile="https://a.example/p", ` + csv + ";q=0.1", MediaType},
		{"text/html", MediaType},
	}
	for _, tt := range tests {
		t.Run(tt.accept, func(t *testing.T) {
			if got := preferred(tt.accept, []string{csv}); got != tt.want {
				t.Errorf("preferred(%q) = %q, want %q", tt.accept, got, tt.want)
			}
		})
	}
	t.Run("no offers", func(t *testing.T) {
		if got := preferred(csv, nil); got != MediaType {
			t.Errorf("got %q", got)
		}
	})
}

// TestNegotiateOffers: a route that offers text/csv accepts it (and picks it with Preferred);
// every other route still answers 406.
func TestNegotiateOffers(t *testing.T) {
	app := fiber.New()
	app.Use(Negotiate(NegotiateConfig{Offers: func(c *fiber.Ctx) []string {
		if c.Path() == "/report" {
			return []string{"text/csv"}
		}
		return nil
	}}))
	handler := func(c *fiber.Ctx) error {
		if Preferred(c, "text/csv") == "text/csv" {
			c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
			return c.SendString("id\n1\n")
		}
		return WriteDocument(c, http.StatusOK, Document{Data: Many(nil)})
	}
	app.Get("/report", handler)
	app.Get("/cases", handler)
	tests := []struct {
		path, accept string
		status       int
		contentType  string
	}{
		{"/report", "text/csv", 200, "text/csv; charset=utf-8"},
		{"/report", "text/*", 200, "text/csv; charset=utf-8"},
		{"/report", MediaType, 200, MediaType},
		{"/report", "", 200, MediaType},
		{"/report", "text/csv;q=0", 406, MediaType},
		{"/report", "text/html", 406, MediaType},
		{"/cases", "text/csv", 406, MediaType},
		{"/cases", MediaType, 200, MediaType},
	}
	for _, tt := range tests {
		t.Run(tt.path+" "+tt.accept, func(t *testing.T) {
			req := httptest.NewRequest("GET", tt.path, nil)
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			resp, body := mustDo(t, app, req)
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if got := resp.Header.Get("Content-Type"); got != tt.contentType {
				t.Errorf("Content-Type = %q, want %q", got, tt.contentType)
			}
		})
	}
}
