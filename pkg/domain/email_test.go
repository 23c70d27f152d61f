package domain_test

import (
	"testing"

	"github.com/caseroom/caseroom/pkg/domain"
)

// TestValidEmail: the addresses that may log in or be invited (EXT-1).
func TestValidEmail(t *testing.T) {
	for e, want := range map[string]bool{
		"aino.virtanen@acme.example": true, "a@b.co": true,
		"": false, "Aino <aino@acme.example>": false, "no-at-sign": false, "a@": false,
		"x@" + string(make([]byte, 0)) + "y": false, "spaces in@acme.example": false,
	} {
		if got := domain.ValidEmail(e); got != want {
			t.Errorf("ValidEmail(%q) = %v, want %v", e, got, want)
		}
	}
	long := ""
	for len(long) < 250 {
		long += "a"
	}
	if domain.ValidEmail(long + "@x.example") {
		t.Error("an address over 254 characters passed")
	}
}
