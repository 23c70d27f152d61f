// Package notify tells people what changed on shared cases, in few mails.
//
// An action that someone else may want to hear about (a contact approves hours or comments,
// an employee adds a file to a shared case) calls Record in its own transaction, which
// writes one news item per recipient: the item exists exactly when the action committed.
// A Worker then gathers each recipient's items into one digest mail per interval
// (settings.digest_minutes) and queues it in the outbox in the transaction that marks the
// items sent, so that a crash neither loses nor doubles a digest.
//
// Who hears what:
//   - a contact's decisions, comments, files and links go to the case owner and to the
//     employee who shared the case, once each, in the firm's language, until they stop them;
//   - an employee's new work hours go to the contacts who may approve them and opted in
//     (contacts.notify_pending_hours), and new files and links to those who see files and
//     opted in (contacts.notify_new_files), in each contact's language.
//
// Every digest carries a link that stops it; Service answers those links.
package notify

import (
	"time"

	"github.com/uptrace/bun"
)

// Kinds of news.
const (
	HourApproved  = "hour_approved" // a contact approved a work hour
	HourRejected  = "hour_rejected" // a contact rejected a work hour
	HourPending   = "hour_pending"  // an employee entered a work hour that waits for approval
	PhaseApproved = "phase_approved"
	PhaseRejected = "phase_rejected"
	Commented     = "comment"
	FileAdded     = "file"
	LinkAdded     = "link"
)

// Event is something that happened on a case, as the action that did it describes it.
type Event struct {
	Kind     string
	CaseID   int64
	ObjectID int64  // the hour, phase, comment, file or link
	Name     string // the phase's or the file's name
	Text     string // the comment, or the reason of a rejection
	Minutes  int    // of a work hour
}

// HourDecided is the event of a decision on a work hour.
func HourDecided(caseID, hourID int64, approved bool, reason string, minutes int) Event {
	kind := HourRejected
	if approved {
		kind, reason = HourApproved, ""
	}
	return Event{Kind: kind, CaseID: caseID, ObjectID: hourID, Text: reason, Minutes: minutes}
}

// PhaseDecided is the event of a decision on a phase.
func PhaseDecided(caseID, phaseID int64, approved bool, name, comment string) Event {
	kind := PhaseRejected
	if approved {
		kind = PhaseApproved
	}
	return Event{Kind: kind, CaseID: caseID, ObjectID: phaseID, Name: name, Text: comment}
}

// FileOrLink is the event of a new file (link false) or link on a case.
func FileOrLink(caseID, fileID int64, link bool, name string) Event {
	kind := FileAdded
	if link {
		kind = LinkAdded
	}
	return Event{Kind: kind, CaseID: caseID, ObjectID: fileID, Name: name}
}

// maxExcerpt bounds the text an item keeps of a comment or a reason, in characters: enough
// for the mail's excerpt, and no more of someone's words than that is stored twice.
const maxExcerpt = 300

// item is one piece of news for one recipient (table news_items).
type item struct {
	bun.BaseModel `bun:"table:news_items"`

	ID                 int64      `bun:"id,pk,autoincrement"`
	RecipientUserID    *int64     `bun:"recipient_user_id"`
	RecipientContactID *int64     `bun:"recipient_contact_id"`
	Kind               string     `bun:"kind"`
	CaseID             int64      `bun:"case_id"`
	ObjectID           int64      `bun:"object_id"`
	ActorUserID        *int64     `bun:"actor_user_id"`
	ActorContactID     *int64     `bun:"actor_contact_id"`
	Name               string     `bun:"name"`
	Excerpt            string     `bun:"excerpt"`
	Minutes            int        `bun:"minutes"`
	CreatedAt          time.Time  `bun:"created_at"`
	SentAt             *time.Time `bun:"sent_at"`
}
