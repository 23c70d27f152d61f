package soak

import (
	"bytes"
	"fmt"
	"net/http"
	"testing"
)

// testFiles proves that file content lives in the shared object store, not on a replica:
// what one portal replica stored, the other portal replica and both API replicas serve.
func testFiles(t *testing.T, st *stack, fx *fixture) {
	for i, from := range st.portal {
		to := st.portal[1-i]
		t.Run(fmt.Sprintf("a file uploaded through %s downloads through %s", from.name, to.name), func(t *testing.T) {
			content := []byte("soak notes from " + from.name + " " + randomHex(8) + "\n")
			r, err := upload(from.url()+"/portal/v1/cases/"+fx.caseID+"/files", fx.ainoToken, "soak-"+from.name+".txt", content)
			if err != nil {
				t.Fatal(err)
			}
			id := r.must(t, http.StatusCreated).id()
			got := call(t, "GET", to.url()+"/portal/v1/files/"+id+"/download", fx.ainoToken, nil).must(t, http.StatusOK).raw
			if !bytes.Equal(got, content) {
				t.Fatalf("%s served %q, want %q", to.name, got, content)
			}
			for _, api := range st.api {
				got := call(t, "GET", api.url()+"/api/v1/files/"+id+"/content", fx.carl, nil).must(t, http.StatusOK).raw
				if !bytes.Equal(got, content) {
					t.Fatalf("%s served %q, want %q", api.name, got, content)
				}
			}
			fx.fileID = id
		})
	}
}
