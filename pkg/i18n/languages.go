package i18n

// Language is a shipped language as a chooser lists it: its code and its own name.
type Language struct {
	Code string // "fi"
	Name string // "Suomi"
}

// Languages lists the shipped languages, English first, each named in itself, so that a
// reader finds their own language whatever the page is written in.
func Languages() []Language {
	out := make([]Language, len(codes))
	for i, c := range codes {
		out[i] = Language{Code: c, Name: catalogues[c].Name}
	}
	return out
}
