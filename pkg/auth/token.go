package auth

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Audiences: each service accepts only tokens minted for itself, so an internal token is
// refused by the extranet and a contact token by the internal API.
const (
	AudienceAPI      = "caseroom-api"
	AudienceExtranet = "caseroom-extranet"
)

// ErrInvalidToken covers every reason a token is refused: bad signature, wrong algorithm,
// wrong audience or issuer, expiry, malformed claims.
var ErrInvalidToken = errors.New("invalid token")

// Claims are the claims of a Caseroom session token. Subject is the user or contact id;
// TokenVersion must equal the stored one, which is how sessions are revoked.
type Claims struct {
	jwt.RegisteredClaims
	TokenVersion int64 `json:"tv"`
}

// Issuer signs and checks tokens for one audience with HS256. The algorithm is pinned:
// a token that names another algorithm (including "none") is refused.
type Issuer struct {
	secret   []byte
	audience string
	ttl      time.Duration
	now      func() time.Time
}

// NewIssuer returns an Issuer. secret must be at least 32 bytes.
func NewIssuer(secret []byte, audience string, ttl time.Duration, now func() time.Time) (*Issuer, error) {
	if len(secret) < 32 {
		return nil, fmt.Errorf("jwt secret for %s: need at least 32 bytes, have %d", audience, len(secret))
	}
	if now == nil {
		now = time.Now
	}
	return &Issuer{secret: secret, audience: audience, ttl: ttl, now: now}, nil
}

// Mint returns a signed token for subject id.
func (i *Issuer) Mint(id int64, tokenVersion int64) (string, time.Time, error) {
	now := i.now()
	exp := now.Add(i.ttl)
	claims := Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    "caseroom",
			Subject:   strconv.FormatInt(id, 10),
			Audience:  jwt.ClaimStrings{i.audience},
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(exp),
			ID:        RandomToken(12),
		},
		TokenVersion: tokenVersion,
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(i.secret)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("sign token: %w", err)
	}
	return signed, exp, nil
}

// Verify checks signature, algorithm, audience, issuer and expiry, and returns the subject
// id and token version. Every failure wraps ErrInvalidToken.
func (i *Issuer) Verify(token string) (id int64, tokenVersion int64, err error) {
	var claims Claims
	_, err = jwt.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return i.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithAudience(i.audience),
		jwt.WithIssuer("caseroom"),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(i.now),
	)
	if err != nil {
		return 0, 0, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	if len(claims.Audience) != 1 {
		return 0, 0, fmt.Errorf("%w: exactly one audience expected", ErrInvalidToken)
	}
	id, err = strconv.ParseInt(claims.Subject, 10, 64)
	if err != nil || id <= 0 {
		return 0, 0, fmt.Errorf("%w: bad subject", ErrInvalidToken)
	}
	return id, claims.TokenVersion, nil
}
