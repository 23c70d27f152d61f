package portal

import "github.com/gofiber/fiber/v2"

// contentSecurityPolicy allows the pages nothing but their own style sheet and forms that
// post to the portal itself: no scripts, no frames, no foreign resources.
func contentSecurityPolicy(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "+
		"frame-ancestors 'none'; base-uri 'none'")
	c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	return c.Next()
}
