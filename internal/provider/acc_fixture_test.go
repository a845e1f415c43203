package provider

import (
	"fmt"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/calinks/terraform-provider-calinks/internal/testfixture"
)

// testAccProtoV6ProviderFactories serves the provider under test in-process.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"calinks": providerserver.NewProtocol6WithError(New("test")()),
}

// testAccProviderConfig points the provider at the endpoint of the run
// (AWS_ENDPOINT_URL is read by the SDK) and keeps retries short against it.
func testAccProviderConfig() string {
	maxAttempts := 25
	if os.Getenv("AWS_ENDPOINT_URL") != "" {
		maxAttempts = 2
	}
	return fmt.Sprintf(`
provider "calinks" {
  region       = %q
  max_attempts = %d
  default_tags {
    tags = { "calinks:test" = "acc" }
  }
}
`, testfixture.Region, maxAttempts)
}

type accFixture = testfixture.Fixture

func newAccFixture(t *testing.T) accFixture {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	return testfixture.New(t)
}

func must(t *testing.T, err error) { testfixture.Must(t, err) }
