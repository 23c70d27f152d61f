package jsonapi

import (
	"mime"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Preferred returns the media type to answer c with: MediaType, or the one of offers that the
// request's Accept header prefers to it. Use it on routes whose NegotiateConfig.Offers names
// offers, after Negotiate has let the request through.
//
// The header decides by weight (q) first. Between equal weights, a type named exactly beats
// one reached through type/* or */*, and then the type whose range comes first in the header
// wins, so "text/csv" and "text/csv, */*" choose CSV, and "application/vnd.api+json, text/csv"
// keeps JSON:API. A missing or unreadable Accept, or one that weighs nothing above zero,
// gets MediaType. A JSON:API range carrying parameters other than q and profile does not count
// for MediaType: such an instance asks for an extension the caller would not get.
func Preferred(c *fiber.Ctx, offers ...string) string {
	return preferred(c.Get(fiber.HeaderAccept), offers)
}

// preferred is Preferred on the raw header.
func preferred(accept string, offers []string) string {
	best, bestW := MediaType, weigh(accept, MediaType)
	for _, o := range offers {
		if w := weigh(accept, o); w.q > 0 && w.beats(bestW) {
			best, bestW = o, w
		}
	}
	return best
}

// weight is how much an Accept header wants one media type: the q of the most specific range
// that names it, how specific that range is (2 exact, 1 type/*, 0 */*, -1 none) and where the
// range stands in the header.
type weight struct {
	q        float64
	specific int
	pos      int
}

// beats reports whether w is preferred to o.
func (w weight) beats(o weight) bool {
	switch {
	case w.q != o.q:
		return w.q > o.q
	case w.specific != o.specific:
		return w.specific > o.specific
	}
	return w.pos < o.pos
}

// weigh returns the weight accept gives mt. A blank or unreadable header weighs everything 1,
// as if it were "*/*".
func weigh(accept, mt string) weight {
	none := weight{q: -1, specific: -1}
	if strings.TrimSpace(accept) == "" {
		return weight{q: 1}
	}
	family, _, _ := strings.Cut(mt, "/")
	w, parsed := none, false
	for pos, item := range splitAccept(accept) {
		r, params, err := mime.ParseMediaType(item)
		if r == "" {
			continue
		}
		parsed = true
		specific := -1
		switch {
		case r == mt || (mt == MediaType && r == "application/json"):
			specific = 2
			if mt == MediaType && (err != nil || !onlyQAndProfile(params)) {
				specific = -1
			}
		case r == family+"/*":
			specific = 1
		case r == "*/*":
			specific = 0
		}
		if specific < 0 || specific < w.specific {
			continue
		}
		q := qOf(params)
		if specific > w.specific || q > w.q {
			w = weight{q: q, specific: specific, pos: pos}
		}
	}
	if !parsed {
		return weight{q: 1}
	}
	return w
}

// onlyQAndProfile reports whether a range's parameters are at most q and profile.
func onlyQAndProfile(params map[string]string) bool {
	for k := range params {
		if k != "q" && k != "profile" {
			return false
		}
	}
	return true
}

// qOf returns an Accept range's weight: 1 without q, 0 for an unreadable one.
func qOf(params map[string]string) float64 {
	raw, ok := params["q"]
	if !ok {
		return 1
	}
	q, err := strconv.ParseFloat(raw, 64)
	if err != nil || q < 0 {
		return 0
	}
	return min(q, 1)
}

// offered reports whether the Accept range mt (with a weight above zero) names one of offers,
// exactly or as type/*.
func offered(mt string, offers []string) bool {
	for _, o := range offers {
		family, _, _ := strings.Cut(o, "/")
		if mt == o || mt == family+"/*" {
			return true
		}
	}
	return false
}
