package storage

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNameLength bounds a stored file name, in characters.
const maxNameLength = 255

// CleanFileName keeps the last path element of a client's file name, without control or
// format characters, trimmed to 255 characters. It returns "" when nothing usable is left.
func CleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "." || name == ".." {
		return ""
	}
	if utf8.RuneCountInString(name) > maxNameLength {
		name = string([]rune(name)[:maxNameLength])
	}
	return name
}
