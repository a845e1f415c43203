package test

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	route53types "github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/calinks/terraform-provider-calinks/internal/sweep"
)

// Public zones of the cases. ACM validates a certificate only through DNS
// that resolves: against AWS each case's zone is made under the zone
// CALINKS_TEST_PARENT_ZONE names (one the account holds, delegated from the
// internet) and delegated from it with an NS record; against an emulator
// the zone sits under the reserved .test TLD and nothing is delegated.

// parentZone is the zone the cases' zones are delegated from, if any.
type parentZone struct{ name, id string }

// lookupParentZone finds CALINKS_TEST_PARENT_ZONE in the account; AWS runs
// need one.
func lookupParentZone(ctx context.Context, client *route53.Client, real bool) (parentZone, error) {
	name := strings.TrimSuffix(os.Getenv("CALINKS_TEST_PARENT_ZONE"), ".")
	if name == "" {
		if real {
			return parentZone{}, fmt.Errorf("CALINKS_TEST_TARGET=aws needs CALINKS_TEST_PARENT_ZONE: a public zone of the account under which each case delegates its own, so that ACM certificates validate")
		}
		return parentZone{}, nil
	}
	zones, err := client.ListHostedZonesByName(ctx, &route53.ListHostedZonesByNameInput{DNSName: aws.String(name)})
	if err != nil {
		return parentZone{}, fmt.Errorf("CALINKS_TEST_PARENT_ZONE=%s: %w", name, err)
	}
	for _, z := range zones.HostedZones {
		if strings.TrimSuffix(aws.ToString(z.Name), ".") == name && (z.Config == nil || !z.Config.PrivateZone) {
			return parentZone{name: name, id: strings.TrimPrefix(aws.ToString(z.Id), "/hostedzone/")}, nil
		}
	}
	return parentZone{}, fmt.Errorf("CALINKS_TEST_PARENT_ZONE=%s: no public hosted zone of that name in the account", name)
}

// zoneName is the public zone of a case: unique, under the parent zone or
// the reserved .test TLD.
func zoneName(name string) string {
	if target.parent.name != "" {
		return name + "." + target.parent.name
	}
	return name + ".test"
}

// createTestZone makes a case's public zone, tagged for the sweep, and
// under a parent zone delegates it there; a failed delegation leaves no zone.
func createTestZone(t *testing.T, name string) {
	t.Helper()
	client := route53.NewFromConfig(awsConfig())
	zone := must(client.CreateHostedZone(t.Context(), &route53.CreateHostedZoneInput{
		Name: aws.String(zoneName(name)), CallerReference: aws.String(name + fmt.Sprint(time.Now().UnixNano())),
	}))(t)
	id := strings.TrimPrefix(aws.ToString(zone.HostedZone.Id), "/hostedzone/")
	_, err := client.ChangeTagsForResource(t.Context(), &route53.ChangeTagsForResourceInput{ResourceId: aws.String(id), ResourceType: route53types.TagResourceTypeHostedzone,
		AddTags: []route53types.Tag{{Key: aws.String(testTagKey), Value: aws.String(caseTag(name))}}})
	if err == nil && target.parent.id != "" {
		_, err = client.ChangeResourceRecordSets(t.Context(), delegation(zoneName(name), zone.DelegationSet.NameServers))
	}
	if err != nil {
		deleteTestZone(t, zoneName(name))
		t.Fatalf("the test zone %s: %v", zoneName(name), err)
	}
}

// deleteTestZone removes the zone's records, its delegation from the parent
// zone, and the zone; a delegation left by a zone already gone goes too.
func deleteTestZone(t *testing.T, zone string) {
	t.Helper()
	client := route53.NewFromConfig(awsConfig())
	id, found := testZoneID(t, zone)
	if !found {
		t.Errorf("the test zone %s is gone", zone)
		if err := sweep.DeleteDelegation(t.Context(), client, zone); err != nil {
			t.Error(err)
		}
		return
	}
	if err := sweep.Delete(t.Context(), awsConfig(), []sweep.Resource{{ARN: "arn:aws:route53:::hostedzone/" + id}}, false, io.Discard); err != nil {
		t.Errorf("deleting the test zone %s: %v", zone, err)
	}
}

// testZoneID finds a case's public zone by name.
func testZoneID(t *testing.T, zone string) (id string, found bool) {
	t.Helper()
	zones := must(route53.NewFromConfig(awsConfig()).ListHostedZonesByName(t.Context(), &route53.ListHostedZonesByNameInput{DNSName: aws.String(zone)}))(t)
	if len(zones.HostedZones) == 0 || strings.TrimSuffix(aws.ToString(zones.HostedZones[0].Name), ".") != zone {
		return "", false
	}
	return strings.TrimPrefix(aws.ToString(zones.HostedZones[0].Id), "/hostedzone/"), true
}

// delegation is the NS record of zone in the parent zone.
func delegation(zone string, nameServers []string) *route53.ChangeResourceRecordSetsInput {
	records := make([]route53types.ResourceRecord, 0, len(nameServers))
	for _, ns := range nameServers {
		records = append(records, route53types.ResourceRecord{Value: aws.String(ns)})
	}
	return &route53.ChangeResourceRecordSetsInput{
		HostedZoneId: aws.String(target.parent.id),
		ChangeBatch: &route53types.ChangeBatch{Changes: []route53types.Change{{
			Action:            route53types.ChangeActionUpsert,
			ResourceRecordSet: &route53types.ResourceRecordSet{Name: aws.String(zone), Type: route53types.RRTypeNs, TTL: aws.Int64(300), ResourceRecords: records},
		}}},
	}
}
