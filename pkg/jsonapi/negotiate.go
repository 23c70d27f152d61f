package jsonapi

import (
	"bytes"
	"mime"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// NegotiateConfig configures Negotiate.
type NegotiateConfig struct {
	// Skip, when it returns true, lets the request through untouched: use it
	// for /healthz, file downloads, uploads and HTML pages.
	Skip func(c *fiber.Ctx) bool
	// Extensions lists the extension URIs the service supports. A request
	// naming any other extension in the "ext" parameter is rejected, as
	// JSON:API 1.1 requires. Caseroom supports none, so nil is normal.
	Extensions []string
	// Offers, when set, names the media types a request's route can send besides the JSON:API
	// media type (the reports also answer text/csv). An Accept header naming one of them (or
	// its type/*) is then acceptable, and the handler picks what to send with Preferred. A nil
	// result offers nothing else, so every other route still answers 406.
	Offers func(c *fiber.Ctx) []string
}

// Negotiate returns middleware enforcing JSON:API content negotiation:
//
//   - a Content-Type of the JSON:API media type with a parameter other than
//     ext/profile, or with an unsupported ext, gets 415;
//   - a request with a body whose Content-Type is not the JSON:API media
//     type gets 415. A request "has a body" when it carries bytes, or when
//     it is a POST/PATCH/PUT that declares a Content-Type; an empty POST
//     without Content-Type (an action such as /approve) passes, and the
//     handler decides whether it needed a document;
//   - an Accept header whose JSON:API instances all carry parameters other
//     than ext/profile (or unsupported ext URIs) gets 406, unless it also
//     accepts */* or application/*, or a media type the route offers
//     (NegotiateConfig.Offers). A missing Accept is fine;
//   - responses get Content-Type application/vnd.api+json (a handler that
//     used c.JSON is corrected afterwards; other types such as file
//     downloads are left alone).
//
// Rejections are written directly as JSON:API error documents.
func Negotiate(config ...NegotiateConfig) fiber.Handler {
	var cfg NegotiateConfig
	if len(config) > 0 {
		cfg = config[0]
	}
	return func(c *fiber.Ctx) error {
		if cfg.Skip != nil && cfg.Skip(c) {
			return c.Next()
		}
		if err := checkContentType(c, cfg.Extensions); err != nil {
			return Write(c, err)
		}
		var offers []string
		if cfg.Offers != nil {
			offers = cfg.Offers(c)
		}
		if err := checkAcceptOffers(c.Get(fiber.HeaderAccept), cfg.Extensions, offers); err != nil {
			return Write(c, err)
		}
		c.Set(fiber.HeaderContentType, MediaType)
		c.Vary(fiber.HeaderAccept)
		err := c.Next()
		ct := c.Response().Header.ContentType()
		if bytes.HasPrefix(ct, []byte(fiber.MIMEApplicationJSON)) {
			c.Set(fiber.HeaderContentType, MediaType)
		}
		return err
	}
}

// checkContentType applies the 415 rules to the request's Content-Type.
func checkContentType(c *fiber.Ctx, exts []string) *Error {
	raw := c.Get(fiber.HeaderContentType)
	// From the headers only: the body may still be a stream that nobody may read before the
	// caller is authenticated. -1 is a chunked body.
	declared := c.Request().Header.ContentLength()
	hasBody := declared > 0 || declared == -1
	switch c.Method() {
	case fiber.MethodPost, fiber.MethodPatch, fiber.MethodPut:
		hasBody = hasBody || raw != ""
	}
	if raw == "" && !hasBody {
		return nil
	}
	mt, params, err := mime.ParseMediaType(raw)
	if mt != MediaType {
		if !hasBody {
			return nil
		}
		return UnsupportedMediaType(CodeUnsupportedMediaType,
			"Request documents must be sent as "+MediaType+".").WithHeader(fiber.HeaderContentType)
	}
	if err != nil || !paramsAllowed(params, exts) {
		return UnsupportedMediaType(CodeUnsupportedMediaType,
			"The "+MediaType+" media type may only carry the ext and profile parameters, and only supported extensions.").
			WithHeader(fiber.HeaderContentType)
	}
	return nil
}

// checkAccept applies the 406 rule to the Accept header of a route that sends JSON:API only.
func checkAccept(accept string, exts []string) *Error {
	return checkAcceptOffers(accept, exts, nil)
}

// checkAcceptOffers applies the 406 rule to the Accept header of a route that can also send
// the media types offers.
func checkAcceptOffers(accept string, exts, offers []string) *Error {
	if strings.TrimSpace(accept) == "" {
		return nil
	}
	sawInstance, sawJSON, sawAny := false, false, false
	for _, item := range splitAccept(accept) {
		mt, params, err := mime.ParseMediaType(item)
		if mt == "" {
			continue
		}
		sawAny = true
		if zeroWeight(params) {
			continue // q=0 means "not acceptable"
		}
		if offered(mt, offers) {
			return nil
		}
		switch mt {
		case "*/*", "application/*":
			return nil
		case "application/json":
			sawJSON = true
		case MediaType:
			sawInstance = true
			delete(params, "q")
			if err == nil && paramsAllowed(params, exts) {
				return nil
			}
		}
	}
	if !sawInstance {
		// Decision: plain application/json is served the JSON:API document (it is JSON), so
		// generic HTTP clients work; anything else leaves nothing acceptable.
		if sawJSON || !sawAny { // an Accept nobody can parse is ignored, as if absent
			return nil
		}
		return NotAcceptable(CodeNotAcceptable, "This API answers only "+MediaType+"; Accept names nothing it can send.").
			WithHeader(fiber.HeaderAccept)
	}
	return NotAcceptable(CodeNotAcceptable,
		"Every "+MediaType+" media type in Accept carries parameters or extensions this server does not support.").
		WithHeader(fiber.HeaderAccept)
}

// paramsAllowed reports whether a JSON:API media type's parameters are only
// ext and profile, and every ext URI is supported.
func paramsAllowed(params map[string]string, exts []string) bool {
	for k, v := range params {
		switch k {
		case "profile":
		case "ext":
			for _, uri := range strings.Fields(v) {
				if !slices.Contains(exts, uri) {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

// splitAccept splits an Accept header on commas that are not inside a
// quoted string (profile and ext values are quoted URI lists).
func splitAccept(s string) []string {
	var out []string
	start, quoted, escaped := 0, false, false
	for i := 0; i < len(s); i++ {
		switch {
		case escaped:
			escaped = false
		case quoted && s[i] == '\\':
			escaped = true
		case s[i] == '"':
			quoted = !quoted
		case s[i] == ',' && !quoted:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// zeroWeight reports whether an Accept item has q=0, i.e. is refused.
func zeroWeight(params map[string]string) bool {
	q, ok := params["q"]
	if !ok {
		return false
	}
	f, err := strconv.ParseFloat(q, 64)
	return err == nil && f == 0
}
