package model

import (
	"time"

	"github.com/uptrace/bun"
)

// Account is a customer of the firm.
type Account struct {
	bun.BaseModel `bun:"table:accounts"`

	ID         int64     `bun:"id,pk,autoincrement"`
	Name       string    `bun:"name"`
	BusinessID string    `bun:"business_id"`
	Website    string    `bun:"website"`
	Version    int64     `bun:"version"`
	CreatedAt  time.Time `bun:"created_at"`
	UpdatedAt  time.Time `bun:"updated_at"`
}

// Contact is a person at an account; the extranet's users are contacts.
type Contact struct {
	bun.BaseModel `bun:"table:contacts"`

	ID        int64  `bun:"id,pk,autoincrement"`
	AccountID int64  `bun:"account_id"`
	FirstName string `bun:"first_name"`
	LastName  string `bun:"last_name"`
	Email     string `bun:"email"`
	Phone     string `bun:"phone"`
	Title     string `bun:"title"`
	Active    bool   `bun:"active"`
	// Locale and TimeZone are the contact's own choices for the portal and mails; empty
	// means the firm's default.
	Locale   string `bun:"locale"`
	TimeZone string `bun:"time_zone"`
	// The mails a contact opted in to: hours waiting for their approval, new files.
	NotifyPendingHours bool      `bun:"notify_pending_hours"`
	NotifyNewFiles     bool      `bun:"notify_new_files"`
	Version            int64     `bun:"version"`
	CreatedAt          time.Time `bun:"created_at"`
	UpdatedAt          time.Time `bun:"updated_at"`
}

// Address is a postal address of an account.
type Address struct {
	bun.BaseModel `bun:"table:addresses"`

	ID         int64     `bun:"id,pk,autoincrement"`
	AccountID  int64     `bun:"account_id"`
	Kind       string    `bun:"kind"`
	Street     string    `bun:"street"`
	PostalCode string    `bun:"postal_code"`
	City       string    `bun:"city"`
	Country    string    `bun:"country"`
	Version    int64     `bun:"version"`
	CreatedAt  time.Time `bun:"created_at"`
	UpdatedAt  time.Time `bun:"updated_at"`
}
