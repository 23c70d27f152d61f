package domain

// Window selects a slice of a portal list, by offset.
type Window struct {
	Offset, Limit int64
}
