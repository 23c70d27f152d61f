package auth

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var cheap = Argon2Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

func TestPasswordHash(t *testing.T) {
	h, err := HashPasswordWith("correct horse", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("hash %q is not PHC argon2id", h)
	}
	if err := CheckPassword(h, "correct horse"); err != nil {
		t.Fatalf("right password refused: %v", err)
	}
	if err := CheckPassword(h, "wrong"); !errors.Is(err, ErrMismatch) {
		t.Fatalf("wrong password: got %v, want ErrMismatch", err)
	}
	h2, _ := HashPasswordWith("correct horse", cheap)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt is not random")
	}
	for _, bad := range []string{"", "$2a$10$abc", "$argon2id$v=19$m=x$a$b", "$argon2id$v=18$m=1,t=1,p=1$AA$AA"} {
		if err := CheckPassword(bad, "x"); !errors.Is(err, ErrBadHash) {
			t.Errorf("CheckPassword(%q) = %v, want ErrBadHash", bad, err)
		}
	}
	if err := CheckNobody("x"); !errors.Is(err, ErrMismatch) {
		t.Fatalf("CheckNobody = %v", err)
	}
}

func TestTemporaryPassword(t *testing.T) {
	a, b := TemporaryPassword(), TemporaryPassword()
	if len(a) != 16 || a == b {
		t.Fatalf("temporary passwords %q, %q", a, b)
	}
}

func TestTokens(t *testing.T) {
	secret := []byte(strings.Repeat("k", 32))
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	api, err := NewIssuer(secret, AudienceAPI, 15*time.Minute, clock)
	if err != nil {
		t.Fatal(err)
	}
	ext, _ := NewIssuer(secret, AudienceExtranet, 15*time.Minute, clock)

	tok, _, err := api.Mint(42, 3)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("round trip", func(t *testing.T) {
		id, tv, err := api.Verify(tok)
		if err != nil || id != 42 || tv != 3 {
			t.Fatalf("Verify = %d, %d, %v", id, tv, err)
		}
	})
	t.Run("other audience refused", func(t *testing.T) {
		if _, _, err := ext.Verify(tok); !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("extranet accepted an API token: %v", err)
		}
	})
	t.Run("expired refused", func(t *testing.T) {
		later, _ := NewIssuer(secret, AudienceAPI, 15*time.Minute, func() time.Time { return now.Add(16 * time.Minute) })
		if _, _, err := later.Verify(tok); !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("expired token accepted: %v", err)
		}
	})
	t.Run("alg none refused", func(t *testing.T) {
		claims := jwt.MapClaims{"sub": "42", "aud": AudienceAPI, "iss": "caseroom", "exp": now.Add(time.Hour).Unix()}
		none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, claims).SignedString(jwt.UnsafeAllowNoneSignatureType)
		if _, _, err := api.Verify(none); !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("alg none accepted: %v", err)
		}
	})
	t.Run("other HMAC alg refused", func(t *testing.T) {
		claims := jwt.MapClaims{"sub": "42", "aud": AudienceAPI, "iss": "caseroom", "exp": now.Add(time.Hour).Unix()}
		hs512, _ := jwt.NewWithClaims(jwt.SigningMethodHS512, claims).SignedString(secret)
		if _, _, err := api.Verify(hs512); !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("HS512 accepted: %v", err)
		}
	})
	t.Run("tampered refused", func(t *testing.T) {
		if _, _, err := api.Verify(tok[:len(tok)-2] + "xx"); !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("tampered token accepted: %v", err)
		}
	})
	t.Run("short secret refused", func(t *testing.T) {
		if _, err := NewIssuer([]byte("short"), AudienceAPI, time.Minute, nil); err == nil {
			t.Fatal("short secret accepted")
		}
	})
}
