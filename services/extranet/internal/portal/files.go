package portal

import (
	"context"
	"mime"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// presignTTL is the life of a download link of the store: long enough to start the
// download, short enough that a leaked link is soon useless.
const presignTTL = time.Minute

// fileStore is the cases service with the portal's store of file contents.
func (h *handler) fileStore() *cases.FileStore {
	return h.cases.WithFiles(h.deps.Files, h.deps.MaxUploadBytes)
}

// listFiles answers GET /portal/v1/cases/:id/files: files & links, visible with the Other
// section or the Upload right (EXT-2, EXT-3).
func (h *handler) listFiles(c *fiber.Ctx) error {
	return caseParts(c, h.caseFiles, fileResource)
}

// getFile answers GET /portal/v1/files/:id (404 unless visible, EXT-8).
func (h *handler) getFile(c *fiber.Ctx) error {
	return casePart(c, "file", h.file, fileResource)
}

// downloadFile answers GET /portal/v1/files/:id/download with the content as an attachment.
func (h *handler) downloadFile(c *fiber.Ctx) error {
	id, err := pathID(c, "file")
	if err != nil {
		return err
	}
	return h.sendFile(c, caller(c), id)
}

// sendFile answers a download for who: a redirect to a short-lived link of the store when
// configured (the link itself names the file as an attachment), otherwise the content
// streamed through the portal with Content-Disposition: attachment and nosniff, so that an
// uploaded page or image is saved, never rendered in the portal's origin.
func (h *handler) sendFile(c *fiber.Ctx, who *extranet.Contact, id int64) error {
	ctx, files := c.UserContext(), h.fileStore()
	if h.deps.PresignDownloads {
		url, ok, err := files.PresignDownload(ctx, who.Actor(), id, presignTTL)
		if err != nil {
			return err
		}
		if ok {
			return c.Redirect(url, http.StatusSeeOther)
		}
	}
	f, rc, info, err := files.Open(ctx, who.Actor(), id)
	if err != nil {
		return err
	}
	ct := f.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": f.Name})
	if disposition == "" {
		disposition = "attachment"
	}
	c.Set(fiber.HeaderContentType, ct)
	c.Set(fiber.HeaderContentDisposition, disposition)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Status(http.StatusOK).SendStream(rc, int(info.Size))
}

func (h *handler) caseFiles(ctx context.Context, who *extranet.Contact, caseID int64, p domain.Window) ([]*cases.File, int64, error) {
	return h.cases.CaseFiles(ctx, who.Actor(), caseID, p)
}

func (h *handler) file(ctx context.Context, who *extranet.Contact, id int64) (*cases.File, error) {
	return h.cases.File(ctx, who.Actor(), id)
}
