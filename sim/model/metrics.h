/* metrics.h: the one registry of model outputs.
 *
 * Each metric is a monthly series per replication. Its aggregation says how
 * months fold into fiscal and calendar years: FLOW metrics are summed,
 * STOCK metrics (levels such as occupancy) are averaged, and RATIO metrics
 * are recomputed from the summed numerator and denominator metrics of the
 * period (so a yearly share is not a mean of monthly shares). Names, units and
 * descriptions here are what the HDF5 file, `enforcesim info` and README
 * show; add a metric by adding one X line. Units avoid bare "hours"/"days"
 * (xarray would decode them as time deltas). */
#ifndef ES_METRICS_H
#define ES_METRICS_H

typedef enum { ES_AGG_FLOW, ES_AGG_STOCK, ES_AGG_RATIO } es_agg;

/* X(ID, name, unit, aggregation, numerator, denominator, description);
 * numerator and denominator name metric ids for RATIO metrics, NONE otherwise. */
#define ES_METRIC_LIST(X) \
    X(ARRIVAL_PARTIES, "arrival_parties", "party", ES_AGG_FLOW, NONE, NONE, "migrant parties arriving at the southwest border") \
    X(ARRIVAL_PEOPLE, "arrival_people", "person", ES_AGG_FLOW, NONE, NONE, "people arriving at the southwest border") \
    X(SMUGGLED_PEOPLE, "smuggled_people", "person", ES_AGG_FLOW, NONE, NONE, "arriving people whose party hired a smuggler") \
    X(SMUGGLED_SHARE, "smuggled_share", "1", ES_AGG_RATIO, SMUGGLED_PEOPLE, ARRIVAL_PEOPLE, "share of arriving people whose party hired a smuggler") \
    X(ATTEMPTS_ON_FOOT, "attempts_on_foot", "party", ES_AGG_FLOW, NONE, NONE, "crossing attempts on foot (guided or alone)") \
    X(ATTEMPTS_CONCEALED, "attempts_concealed", "party", ES_AGG_FLOW, NONE, NONE, "crossing attempts concealed in vehicles or tractor-trailers") \
    X(ATTEMPTS_PORT, "attempts_port_documents", "party", ES_AGG_FLOW, NONE, NONE, "attempts at a port of entry with fraudulent documents") \
    X(ATTEMPTS_SURRENDER, "attempts_surrender", "party", ES_AGG_FLOW, NONE, NONE, "parties that surrender to Border Patrol to claim asylum") \
    X(APPREHENSIONS, "apprehensions", "person", ES_AGG_FLOW, NONE, NONE, "Border Patrol southwest-border apprehensions (events, people; surrenders included)") \
    X(APPREHENSIONS_MEXICO_CA, "apprehensions_mexico_central_america", "person", ES_AGG_FLOW, NONE, NONE, "apprehensions of Mexican and Northern Triangle nationals") \
    X(APPREHENSIONS_FAMILY, "apprehensions_family_units", "person", ES_AGG_FLOW, NONE, NONE, "apprehensions of people in family units") \
    X(APPREHENSIONS_UAC, "apprehensions_unaccompanied_children", "person", ES_AGG_FLOW, NONE, NONE, "apprehensions of unaccompanied children") \
    X(APPREHENDED_PARTIES, "apprehended_parties", "party", ES_AGG_FLOW, NONE, NONE, "Border Patrol apprehension events, counted in parties") \
    X(PORT_INTERCEPTIONS, "port_interceptions", "person", ES_AGG_FLOW, NONE, NONE, "people stopped at ports of entry with fraudulent documents (not Border Patrol)") \
    X(SURRENDERS, "surrenders", "person", ES_AGG_FLOW, NONE, NONE, "people who surrendered to claim asylum") \
    X(GOT_AWAYS, "got_aways", "person", ES_AGG_FLOW, NONE, NONE, "people who crossed undetected") \
    X(DEATHS, "deaths", "person", ES_AGG_FLOW, NONE, NONE, "migrant deaths during crossing attempts") \
    X(EXTORTION_EVENTS, "extortion_events", "party", ES_AGG_FLOW, NONE, NONE, "stash-house extortion or hostage events") \
    X(RELEASED, "released_pending_court", "person", ES_AGG_FLOW, NONE, NONE, "apprehended people processed and released to await immigration court") \
    X(RETURNED, "returned", "person", ES_AGG_FLOW, NONE, NONE, "apprehended people returned or removed who give up") \
    X(DELIVERED, "delivered_inland", "person", ES_AGG_FLOW, NONE, NONE, "people delivered inland after crossing") \
    X(FEES_PAID, "fees_paid", "USD", ES_AGG_FLOW, NONE, NONE, "smuggling fees agreed by arriving smuggled people") \
    X(MEAN_FEE, "mean_fee", "USD", ES_AGG_RATIO, FEES_PAID, SMUGGLED_PEOPLE, "mean smuggling fee per smuggled person arriving in the month") \
    X(PARTIES_IN_SYSTEM, "parties_in_system", "party", ES_AGG_STOCK, NONE, NONE, "parties between arrival and a final outcome at month end")

#define ES_METRIC_ENUM(id, name, unit, agg, num, den, desc) ES_M_##id,
typedef enum { ES_M_NONE = -1, ES_METRIC_LIST(ES_METRIC_ENUM) ES_N_METRICS } es_metric_id;
#undef ES_METRIC_ENUM

typedef struct {
    const char *name;
    const char *unit;
    es_agg agg;
    int num, den;      /* RATIO: metric ids of numerator and denominator; -1 otherwise */
    const char *desc;
} es_metric_def;

extern const es_metric_def es_metric_table[ES_N_METRICS];

/* Index of a metric by name, or -1. */
int es_metric_find(const char *name);

#endif
