// Package auth holds what both services need to authenticate people: argon2id password
// hashes, random secrets, and JWTs pinned to one algorithm and one audience per service.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Argon2Params are the argon2id cost settings. The defaults follow RFC 9106's second
// recommended option (64 MiB, 3 passes), scaled to one lane per core we expect to have.
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	KeyLen  uint32
	SaltLen uint32
}

// DefaultArgon2 is used for every new hash.
var DefaultArgon2 = Argon2Params{Memory: 64 * 1024, Time: 3, Threads: 2, KeyLen: 32, SaltLen: 16}

// ErrMismatch means a password does not match its hash.
var ErrMismatch = errors.New("password does not match")

// ErrBadHash means a stored hash is not in the PHC argon2id format.
var ErrBadHash = errors.New("malformed password hash")

// HashPassword returns a PHC-format argon2id hash ("$argon2id$v=19$m=…,t=…,p=…$salt$key").
func HashPassword(password string) (string, error) {
	return HashPasswordWith(password, DefaultArgon2)
}

// HashPasswordWith hashes with explicit parameters (tests use cheaper ones).
func HashPasswordWith(password string, p Argon2Params) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	var key []byte
	if err := withSlot(func() { key = argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen) }); err != nil {
		return "", err
	}
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// CheckPassword compares password with a hash made by HashPassword, in constant time.
// It returns ErrMismatch, ErrBadHash, or ErrBusy when the process is hashing as many
// passwords as it may at once (see SetHashConcurrency).
func CheckPassword(hash, password string) error {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return ErrBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return ErrBadHash
	}
	var p Argon2Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return ErrBadHash
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return ErrBadHash
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return ErrBadHash
	}
	var got []byte
	if err := withSlot(func() { got = argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want))) }); err != nil {
		return err
	}
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return ErrMismatch
	}
	return nil
}

// dummyHash is checked against when a login names no known account, so that a wrong
// email costs the same time as a wrong password. It is made on first use, not at start-up:
// commands such as --help must not spend 64 MiB.
var dummyHash = sync.OnceValue(func() string {
	salt := make([]byte, DefaultArgon2.SaltLen)
	key := argon2.IDKey([]byte("caseroom-timing-equaliser"), salt, DefaultArgon2.Time, DefaultArgon2.Memory, DefaultArgon2.Threads, DefaultArgon2.KeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, DefaultArgon2.Memory, DefaultArgon2.Time,
		DefaultArgon2.Threads, enc.EncodeToString(salt), enc.EncodeToString(key))
})

// CheckNobody spends the time of one password check and fails with ErrMismatch (or
// ErrBusy, like CheckPassword).
func CheckNobody(password string) error {
	if err := CheckPassword(dummyHash(), password); errors.Is(err, ErrBusy) {
		return err
	}
	return ErrMismatch
}

// RandomToken returns n random bytes, URL-safe base64 encoded.
func RandomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// TemporaryPassword returns a readable random password of 16 characters without
// look-alike letters.
func TemporaryPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
