/* metrics.h: the one registry of model outputs.
 *
 * Each metric is a monthly series per replication. Its aggregation says how
 * months fold into fiscal and calendar years: FLOW metrics are summed,
 * STOCK metrics (levels such as occupancy) are averaged, and RATIO metrics
 * are recomputed from the summed numerator and denominator metrics of the
 * period (so a yearly share is not a mean of monthly shares). Names, units and
 * descriptions here are what the HDF5 file, `enforcesim info` and docs/
 * reference/metrics.md show; add a metric by adding one X line. Units avoid bare "hours"/"days"
 * (xarray would decode them as time deltas). */
#ifndef ES_METRICS_H
#define ES_METRICS_H

typedef enum { ES_AGG_FLOW, ES_AGG_STOCK, ES_AGG_RATIO } es_agg;

/* X(ID, name, unit, aggregation, numerator, denominator, description);
 * numerator and denominator name metric ids for RATIO metrics, NONE otherwise. */
#define ES_METRIC_LIST(X)                                                                          \
    X(ARRIVAL_PARTIES, "arrival_parties", "party", ES_AGG_FLOW, NONE, NONE,                        \
      "migrant parties arriving at the southwest border")                                          \
    X(ARRIVAL_PEOPLE, "arrival_people", "person", ES_AGG_FLOW, NONE, NONE,                         \
      "people arriving at the southwest border")                                                   \
    X(SMUGGLED_PEOPLE, "smuggled_people", "person", ES_AGG_FLOW, NONE, NONE,                       \
      "arriving people whose party hired a smuggler")                                              \
    X(SMUGGLED_SHARE, "smuggled_share", "1", ES_AGG_RATIO, SMUGGLED_PEOPLE, ARRIVAL_PEOPLE,        \
      "share of arriving people whose party hired a smuggler")                                     \
    X(ATTEMPTS_ON_FOOT, "attempts_on_foot", "party", ES_AGG_FLOW, NONE, NONE,                      \
      "crossing attempts on foot (guided or alone)")                                               \
    X(ATTEMPTS_CONCEALED, "attempts_concealed", "party", ES_AGG_FLOW, NONE, NONE,                  \
      "crossing attempts concealed in vehicles or tractor-trailers")                               \
    X(ATTEMPTS_PORT, "attempts_port_documents", "party", ES_AGG_FLOW, NONE, NONE,                  \
      "attempts at a port of entry with fraudulent documents")                                     \
    X(ATTEMPTS_SURRENDER, "attempts_surrender", "party", ES_AGG_FLOW, NONE, NONE,                  \
      "parties that surrender to Border Patrol to claim asylum")                                   \
    X(APPREHENSIONS, "apprehensions", "person", ES_AGG_FLOW, NONE, NONE,                           \
      "Border Patrol southwest-border apprehensions (events, people; surrenders included)")        \
    X(APPREHENSIONS_MEXICO_CA, "apprehensions_mexico_central_america", "person", ES_AGG_FLOW,      \
      NONE, NONE, "apprehensions of Mexican and Northern Triangle nationals")                      \
    X(APPREHENSIONS_FAMILY, "apprehensions_family_units", "person", ES_AGG_FLOW, NONE, NONE,       \
      "apprehensions of people in family units")                                                   \
    X(APPREHENSIONS_UAC, "apprehensions_unaccompanied_children", "person", ES_AGG_FLOW, NONE,      \
      NONE, "apprehensions of unaccompanied children")                                             \
    X(APPREHENDED_PARTIES, "apprehended_parties", "party", ES_AGG_FLOW, NONE, NONE,                \
      "Border Patrol apprehension events, counted in parties")                                     \
    X(PORT_INTERCEPTIONS, "port_interceptions", "person", ES_AGG_FLOW, NONE, NONE,                 \
      "people stopped at ports of entry with fraudulent documents (not Border Patrol)")            \
    X(SURRENDERS, "surrenders", "person", ES_AGG_FLOW, NONE, NONE,                                 \
      "people who surrendered to claim asylum")                                                    \
    X(GOT_AWAYS, "got_aways", "person", ES_AGG_FLOW, NONE, NONE, "people who crossed undetected")  \
    X(DEATHS, "deaths", "person", ES_AGG_FLOW, NONE, NONE,                                         \
      "migrant deaths during crossing attempts")                                                   \
    X(EXTORTION_EVENTS, "extortion_events", "party", ES_AGG_FLOW, NONE, NONE,                      \
      "stash-house extortion or hostage events")                                                   \
    X(RELEASED, "released_pending_court", "person", ES_AGG_FLOW, NONE, NONE,                       \
      "apprehended people processed and released to await immigration court")                      \
    X(RETURNED, "returned", "person", ES_AGG_FLOW, NONE, NONE,                                     \
      "apprehended people returned or removed who give up")                                        \
    X(DELIVERED, "delivered_inland", "person", ES_AGG_FLOW, NONE, NONE,                            \
      "people delivered inland after crossing")                                                    \
    X(FEES_PAID, "fees_paid", "USD", ES_AGG_FLOW, NONE, NONE,                                      \
      "smuggling fees agreed by arriving smuggled people")                                         \
    X(MEAN_FEE, "mean_fee", "USD", ES_AGG_RATIO, FEES_PAID, SMUGGLED_PEOPLE,                       \
      "mean smuggling fee per smuggled person arriving in the month")                              \
    X(PARTIES_IN_SYSTEM, "parties_in_system", "party", ES_AGG_STOCK, NONE, NONE,                   \
      "parties between arrival and a final outcome at month end")                                  \
    X(ACTORS_T0, "active_actors_tier0", "actor", ES_AGG_STOCK, NONE, NONE,                         \
      "smuggling actors active in tier 0 at month end (street level)")                             \
    X(ACTORS_T1, "active_actors_tier1", "actor", ES_AGG_STOCK, NONE, NONE,                         \
      "smuggling actors active in tier 1 at month end (coordinators)")                             \
    X(ACTORS_T2, "active_actors_tier2", "actor", ES_AGG_STOCK, NONE, NONE,                         \
      "smuggling actors active in tier 2 at month end (leaders)")                                  \
    X(CAPACITY_OFFLINE, "capacity_offline", "1", ES_AGG_STOCK, NONE, NONE,                         \
      "share of smuggling capacity offline at month end because of vacant roles")                  \
    X(SMUGGLER_REVENUE, "smuggler_revenue", "USD", ES_AGG_FLOW, NONE, NONE,                        \
      "fees collected by smuggling organizations, after the cartel tax")                           \
    X(CARTEL_TAX, "cartel_tax", "USD", ES_AGG_FLOW, NONE, NONE,                                    \
      "per-migrant levy paid to cartels controlling corridors")                                    \
    X(FEES_FORFEITED, "fees_forfeited", "USD", ES_AGG_FLOW, NONE, NONE,                            \
      "agreed fees never collected because the journey failed (apprehension, death)")              \
    X(ORGS_BROKEN_UP, "organizations_broken_up", "organization", ES_AGG_FLOW, NONE, NONE,          \
      "organizations that broke up after losing their leader")                                     \
    X(FEES_TRANSIT, "fees_agreed_transit", "USD", ES_AGG_FLOW, NONE, NONE,                         \
      "fees agreed by arriving smuggled people for the transit leg")                               \
    X(FEES_CROSSING, "fees_agreed_crossing", "USD", ES_AGG_FLOW, NONE, NONE,                       \
      "fees agreed by arriving smuggled people for the border crossing")                           \
    X(FEES_US, "fees_agreed_us_side", "USD", ES_AGG_FLOW, NONE, NONE,                              \
      "fees agreed by arriving smuggled people for the U.S.-side leg (stash house, transport)")    \
    X(MEAN_FEE_TRANSIT, "mean_fee_transit", "USD", ES_AGG_RATIO, FEES_TRANSIT, SMUGGLED_PEOPLE,    \
      "mean transit-leg fee per smuggled person arriving")                                         \
    X(MEAN_FEE_CROSSING, "mean_fee_crossing", "USD", ES_AGG_RATIO, FEES_CROSSING, SMUGGLED_PEOPLE, \
      "mean crossing-leg fee per smuggled person arriving")                                        \
    X(MEAN_FEE_US, "mean_fee_us_side", "USD", ES_AGG_RATIO, FEES_US, SMUGGLED_PEOPLE,              \
      "mean U.S.-side fee per smuggled person arriving")                                           \
    X(MEDIAN_FEE, "median_fee", "USD", ES_AGG_STOCK, NONE, NONE,                                   \
      "median smuggling fee of the smuggled people arriving in the month (a year: the mean of "    \
      "its monthly medians)")                                                                      \
    X(MEDIAN_FEE_TRANSIT, "median_fee_transit", "USD", ES_AGG_STOCK, NONE, NONE,                   \
      "median transit-leg fee of the smuggled people arriving in the month (a year: the mean of "  \
      "its monthly medians)")                                                                      \
    X(MEDIAN_FEE_CROSSING, "median_fee_crossing", "USD", ES_AGG_STOCK, NONE, NONE,                 \
      "median crossing-leg fee of the smuggled people arriving in the month (a year: the mean of " \
      "its monthly medians)")                                                                      \
    X(MEDIAN_FEE_US, "median_fee_us_side", "USD", ES_AGG_STOCK, NONE, NONE,                        \
      "median U.S.-side fee of the smuggled people arriving in the month (a year: the mean of "    \
      "its monthly medians)")                                                                      \
    X(ORGS_ACTIVE, "organizations_active", "organization", ES_AGG_STOCK, NONE, NONE,               \
      "smuggling organizations in business at month end (not broken up)")                          \
    X(SMUGGLER_REVENUE_HIER, "smuggler_revenue_hierarchical", "USD", ES_AGG_FLOW, NONE, NONE,      \
      "smuggler_revenue collected by hierarchical organizations")                                  \
    X(SMUGGLER_REVENUE_CONTRACTOR, "smuggler_revenue_contractors", "USD", ES_AGG_FLOW, NONE, NONE, \
      "smuggler_revenue collected by contractor organizations")                                    \
    X(CROSSING_CAPACITY, "crossing_capacity", "person", ES_AGG_FLOW, NONE, NONE,                   \
      "people the active crossing crews could take across in the month (weekly capacity)")         \
    X(CROSSING_USED, "crossing_capacity_used", "person", ES_AGG_FLOW, NONE, NONE,                  \
      "people crossing crews took to the border in the month")                                     \
    X(CROSSING_UTILISATION, "crossing_utilisation", "1", ES_AGG_RATIO, CROSSING_USED,              \
      CROSSING_CAPACITY, "share of crossing capacity used")                                        \
    X(TRANSIT_CAPACITY, "transit_capacity", "person", ES_AGG_FLOW, NONE, NONE,                     \
      "people the active transit organizations could move to the border in the month")             \
    X(TRANSIT_USED, "transit_capacity_used", "person", ES_AGG_FLOW, NONE, NONE,                    \
      "people transit organizations took on in the month")                                         \
    X(TRANSIT_UTILISATION, "transit_utilisation", "1", ES_AGG_RATIO, TRANSIT_USED,                 \
      TRANSIT_CAPACITY, "share of transit capacity used")                                          \
    X(US_CAPACITY, "us_side_capacity", "person", ES_AGG_FLOW, NONE, NONE,                          \
      "people the active U.S.-side crews could move on from stash houses in the month")            \
    X(US_USED, "us_side_capacity_used", "person", ES_AGG_FLOW, NONE, NONE,                         \
      "people U.S.-side crews moved on from stash houses in the month")                            \
    X(US_UTILISATION, "us_side_utilisation", "1", ES_AGG_RATIO, US_USED, US_CAPACITY,              \
      "share of U.S.-side capacity used")                                                          \
    X(CAPACITY_WAITS, "capacity_waits", "party", ES_AGG_FLOW, NONE, NONE,                          \
      "times a smuggled party found no crossing crew with room and waited for the next week")      \
    X(TRANSIT_WAITS, "transit_waits", "party", ES_AGG_FLOW, NONE, NONE,                            \
      "times a smuggled party's transit organization had no room and it waited for the next week") \
    X(STASH_WAITS, "stash_waits", "party", ES_AGG_FLOW, NONE, NONE,                                \
      "times a party in a stash house found no U.S.-side crew with room and stayed another week")  \
    X(PARTIES_WAITING, "parties_waiting_for_capacity", "party", ES_AGG_STOCK, NONE, NONE,          \
      "smuggled parties waiting in staging for transit or crossing capacity at month end")         \
    X(PARTIES_HELD, "parties_held_in_stash", "party", ES_AGG_STOCK, NONE, NONE,                    \
      "smuggled parties held in stash houses waiting for U.S.-side capacity at month end")         \
    X(LEFT_STASH, "left_stash_unserved", "person", ES_AGG_FLOW, NONE, NONE,                        \
      "people who gave up waiting in a stash house and went on alone (U.S.-side fee forfeited)")   \
    X(GAVE_UP_ALONE, "gave_up_crossed_alone", "person", ES_AGG_FLOW, NONE, NONE,                   \
      "people who gave up waiting for their smuggler and crossed alone on remote routes")          \
    X(GAVE_UP_HOME, "gave_up_went_home", "person", ES_AGG_FLOW, NONE, NONE,                        \
      "people who gave up waiting for their smuggler and did not cross")                           \
    X(PRICED_OUT_ALONE, "priced_out_crossed_alone", "person", ES_AGG_FLOW, NONE, NONE,             \
      "arriving people priced out of a smuggler who crossed alone on remote routes")               \
    X(PRICED_OUT_HOME, "priced_out_stayed_home", "person", ES_AGG_FLOW, NONE, NONE,                \
      "people priced out of a smuggler who did not come (not counted as arrivals)")                \
    X(DEATHS_REMOTE, "deaths_remote_routes", "person", ES_AGG_FLOW, NONE, NONE,                    \
      "deaths of people crossing alone on remote routes after being priced out or giving up (of "  \
      "deaths)")                                                                                   \
    X(STAGING_EXTORTION, "staging_extortion_events", "party", ES_AGG_FLOW, NONE, NONE,             \
      "extortion or hostage events among parties waiting for a violent organization's capacity "   \
      "(staging or stash house)")                                                                  \
    X(FEE_INDEX, "market_fee_index", "1", ES_AGG_STOCK, NONE, NONE,                                \
      "fee multiplier the market quotes at month end (risk and scarcity premiums; 1 = base fees)") \
    X(PERCEIVED_RISK, "perceived_risk", "prison_month", ES_AGG_STOCK, NONE, NONE,                  \
      "expected prison-months from arrests per client moved, as smugglers perceive it at month "   \
      "end")                                                                                       \
    X(RECRUIT_POOL, "recruit_pool", "person", ES_AGG_STOCK, NONE, NONE,                            \
      "people willing to take a smuggling role at month end")                                      \
    X(MARKET_HHI, "market_concentration_hhi", "1", ES_AGG_STOCK, NONE, NONE,                       \
      "Herfindahl-Hirschman index of crossing capacity shares at month end (0-1)")                 \
    X(HOURS_USED_0, "hsi_hours_used_drug_smuggling", "agent_hour", ES_AGG_FLOW, NONE, NONE,        \
      "HSI case hours worked in drug_smuggling")                                                   \
    X(HOURS_USED_1, "hsi_hours_used_financial_crimes", "agent_hour", ES_AGG_FLOW, NONE, NONE,      \
      "HSI case hours worked in financial_crimes")                                                 \
    X(HOURS_USED_2, "hsi_hours_used_child_exploitation", "agent_hour", ES_AGG_FLOW, NONE, NONE,    \
      "HSI case hours worked in child_exploitation")                                               \
    X(HOURS_USED_3, "hsi_hours_used_worksite_enforcement", "agent_hour", ES_AGG_FLOW, NONE, NONE,  \
      "HSI case hours worked in worksite_enforcement")                                             \
    X(HOURS_USED_4, "hsi_hours_used_migrant_smuggling", "agent_hour", ES_AGG_FLOW, NONE, NONE,     \
      "HSI case hours worked in migrant_smuggling")                                                \
    X(HOURS_USED_5, "hsi_hours_used_gangs", "agent_hour", ES_AGG_FLOW, NONE, NONE,                 \
      "HSI case hours worked in gangs")                                                            \
    X(HOURS_USED_6, "hsi_hours_used_identity_fraud", "agent_hour", ES_AGG_FLOW, NONE, NONE,        \
      "HSI case hours worked in identity_fraud")                                                   \
    X(HOURS_USED_7, "hsi_hours_used_human_trafficking", "agent_hour", ES_AGG_FLOW, NONE, NONE,     \
      "HSI case hours worked in human_trafficking")                                                \
    X(HOURS_USED_8, "hsi_hours_used_other", "agent_hour", ES_AGG_FLOW, NONE, NONE,                 \
      "HSI case hours worked in other")                                                            \
    X(HOURS_USED_9, "hsi_hours_used_ero_support", "agent_hour", ES_AGG_FLOW, NONE, NONE,           \
      "HSI case hours worked in ero_support")                                                      \
    X(HOURS_USED_10, "hsi_hours_used_prosecution_support", "agent_hour", ES_AGG_FLOW, NONE, NONE,  \
      "HSI case hours worked in prosecution_support")                                              \
    X(HOURS_AVAIL_0, "hsi_hours_available_drug_smuggling", "agent_hour", ES_AGG_FLOW, NONE, NONE,  \
      "HSI case hours available in drug_smuggling")                                                \
    X(HOURS_AVAIL_1, "hsi_hours_available_financial_crimes", "agent_hour", ES_AGG_FLOW, NONE,      \
      NONE, "HSI case hours available in financial_crimes")                                        \
    X(HOURS_AVAIL_2, "hsi_hours_available_child_exploitation", "agent_hour", ES_AGG_FLOW, NONE,    \
      NONE, "HSI case hours available in child_exploitation")                                      \
    X(HOURS_AVAIL_3, "hsi_hours_available_worksite_enforcement", "agent_hour", ES_AGG_FLOW, NONE,  \
      NONE, "HSI case hours available in worksite_enforcement")                                    \
    X(HOURS_AVAIL_4, "hsi_hours_available_migrant_smuggling", "agent_hour", ES_AGG_FLOW, NONE,     \
      NONE, "HSI case hours available in migrant_smuggling")                                       \
    X(HOURS_AVAIL_5, "hsi_hours_available_gangs", "agent_hour", ES_AGG_FLOW, NONE, NONE,           \
      "HSI case hours available in gangs")                                                         \
    X(HOURS_AVAIL_6, "hsi_hours_available_identity_fraud", "agent_hour", ES_AGG_FLOW, NONE, NONE,  \
      "HSI case hours available in identity_fraud")                                                \
    X(HOURS_AVAIL_7, "hsi_hours_available_human_trafficking", "agent_hour", ES_AGG_FLOW, NONE,     \
      NONE, "HSI case hours available in human_trafficking")                                       \
    X(HOURS_AVAIL_8, "hsi_hours_available_other", "agent_hour", ES_AGG_FLOW, NONE, NONE,           \
      "HSI case hours available in other")                                                         \
    X(HOURS_AVAIL_9, "hsi_hours_available_ero_support", "agent_hour", ES_AGG_FLOW, NONE, NONE,     \
      "HSI case hours available in ero_support")                                                   \
    X(HOURS_AVAIL_10, "hsi_hours_available_prosecution_support", "agent_hour", ES_AGG_FLOW, NONE,  \
      NONE, "HSI case hours available in prosecution_support")                                     \
    X(AGENTS_0, "hsi_agents_drug_smuggling", "agent", ES_AGG_STOCK, NONE, NONE,                    \
      "HSI agents assigned to drug_smuggling (mean of month ends)")                                \
    X(AGENTS_1, "hsi_agents_financial_crimes", "agent", ES_AGG_STOCK, NONE, NONE,                  \
      "HSI agents assigned to financial_crimes (mean of month ends)")                              \
    X(AGENTS_2, "hsi_agents_child_exploitation", "agent", ES_AGG_STOCK, NONE, NONE,                \
      "HSI agents assigned to child_exploitation (mean of month ends)")                            \
    X(AGENTS_3, "hsi_agents_worksite_enforcement", "agent", ES_AGG_STOCK, NONE, NONE,              \
      "HSI agents assigned to worksite_enforcement (mean of month ends)")                          \
    X(AGENTS_4, "hsi_agents_migrant_smuggling", "agent", ES_AGG_STOCK, NONE, NONE,                 \
      "HSI agents assigned to migrant_smuggling (mean of month ends)")                             \
    X(AGENTS_5, "hsi_agents_gangs", "agent", ES_AGG_STOCK, NONE, NONE,                             \
      "HSI agents assigned to gangs (mean of month ends)")                                         \
    X(AGENTS_6, "hsi_agents_identity_fraud", "agent", ES_AGG_STOCK, NONE, NONE,                    \
      "HSI agents assigned to identity_fraud (mean of month ends)")                                \
    X(AGENTS_7, "hsi_agents_human_trafficking", "agent", ES_AGG_STOCK, NONE, NONE,                 \
      "HSI agents assigned to human_trafficking (mean of month ends)")                             \
    X(AGENTS_8, "hsi_agents_other", "agent", ES_AGG_STOCK, NONE, NONE,                             \
      "HSI agents assigned to other (mean of month ends)")                                         \
    X(AGENTS_9, "hsi_agents_ero_support", "agent", ES_AGG_STOCK, NONE, NONE,                       \
      "HSI agents assigned to ero_support (mean of month ends)")                                   \
    X(AGENTS_10, "hsi_agents_prosecution_support", "agent", ES_AGG_STOCK, NONE, NONE,              \
      "HSI agents assigned to prosecution_support (mean of month ends)")                           \
    X(COMPLETED_0, "hsi_cases_completed_drug_smuggling", "case", ES_AGG_FLOW, NONE, NONE,          \
      "work items (cases, audits, tasks) completed in drug_smuggling")                             \
    X(COMPLETED_1, "hsi_cases_completed_financial_crimes", "case", ES_AGG_FLOW, NONE, NONE,        \
      "work items (cases, audits, tasks) completed in financial_crimes")                           \
    X(COMPLETED_2, "hsi_cases_completed_child_exploitation", "case", ES_AGG_FLOW, NONE, NONE,      \
      "work items (cases, audits, tasks) completed in child_exploitation")                         \
    X(COMPLETED_3, "hsi_cases_completed_worksite_enforcement", "case", ES_AGG_FLOW, NONE, NONE,    \
      "work items (cases, audits, tasks) completed in worksite_enforcement")                       \
    X(COMPLETED_4, "hsi_cases_completed_migrant_smuggling", "case", ES_AGG_FLOW, NONE, NONE,       \
      "work items (cases, audits, tasks) completed in migrant_smuggling")                          \
    X(COMPLETED_5, "hsi_cases_completed_gangs", "case", ES_AGG_FLOW, NONE, NONE,                   \
      "work items (cases, audits, tasks) completed in gangs")                                      \
    X(COMPLETED_6, "hsi_cases_completed_identity_fraud", "case", ES_AGG_FLOW, NONE, NONE,          \
      "work items (cases, audits, tasks) completed in identity_fraud")                             \
    X(COMPLETED_7, "hsi_cases_completed_human_trafficking", "case", ES_AGG_FLOW, NONE, NONE,       \
      "work items (cases, audits, tasks) completed in human_trafficking")                          \
    X(COMPLETED_8, "hsi_cases_completed_other", "case", ES_AGG_FLOW, NONE, NONE,                   \
      "work items (cases, audits, tasks) completed in other")                                      \
    X(COMPLETED_9, "hsi_cases_completed_ero_support", "case", ES_AGG_FLOW, NONE, NONE,             \
      "work items (cases, audits, tasks) completed in ero_support")                                \
    X(COMPLETED_10, "hsi_cases_completed_prosecution_support", "case", ES_AGG_FLOW, NONE, NONE,    \
      "work items (cases, audits, tasks) completed in prosecution_support")                        \
    X(HOURS_REACTIVE, "hsi_hours_reactive", "agent_hour", ES_AGG_FLOW, NONE, NONE,                 \
      "migrant-smuggling hours spent on reactive border work (pre-empts investigations)")          \
    X(HOURS_TRIAGE, "hsi_hours_triage", "agent_hour", ES_AGG_FLOW, NONE, NONE,                     \
      "migrant-smuggling hours spent screening leads")                                             \
    X(HOURS_INVESTIGATION, "hsi_hours_investigation", "agent_hour", ES_AGG_FLOW, NONE, NONE,       \
      "migrant-smuggling hours spent on case work (all tiers)")                                    \
    X(LEADS_BORDER, "leads_border", "lead", ES_AGG_FLOW, NONE, NONE,                               \
      "smuggling leads from Border Patrol apprehensions of smuggled parties")                      \
    X(LEADS_STASH, "leads_stash_house", "lead", ES_AGG_FLOW, NONE, NONE,                           \
      "smuggling leads from stash-house discoveries")                                              \
    X(LEADS_DEATH, "leads_death", "lead", ES_AGG_FLOW, NONE, NONE,                                 \
      "smuggling leads from migrant deaths")                                                       \
    X(LEADS_EXTORTION, "leads_extortion", "lead", ES_AGG_FLOW, NONE, NONE,                         \
      "smuggling leads from extortion and hostage tips from relatives")                            \
    X(LEADS_INTEL, "leads_intel", "lead", ES_AGG_FLOW, NONE, NONE,                                 \
      "smuggling leads from informants, foreign partners and intelligence")                        \
    X(LEADS_PROACTIVE, "leads_proactive", "lead", ES_AGG_FLOW, NONE, NONE,                         \
      "leads agents developed themselves in otherwise idle smuggling hours (leads_and_hours)")     \
    X(HOURS_PROACTIVE, "hsi_hours_proactive", "agent_hour", ES_AGG_FLOW, NONE, NONE,               \
      "migrant-smuggling hours spent developing proactive leads")                                  \
    X(LEADS_DROPPED, "leads_dropped", "lead", ES_AGG_FLOW, NONE, NONE,                             \
      "leads dropped at triage (below the score threshold or past their shelf life)")              \
    X(CASES_OPENED, "hsi_smuggling_cases_opened", "case", ES_AGG_FLOW, NONE, NONE,                 \
      "new HSI human-smuggling cases opened")                                                      \
    X(CASES_TIER0, "smuggling_cases_closed_tier0", "case", ES_AGG_FLOW, NONE, NONE,                \
      "smuggling cases closed with tier 0 as the highest tier reached")                            \
    X(CASES_TIER1, "smuggling_cases_closed_tier1", "case", ES_AGG_FLOW, NONE, NONE,                \
      "smuggling cases closed with tier 1 as the highest tier reached")                            \
    X(CASES_TIER2, "smuggling_cases_closed_tier2", "case", ES_AGG_FLOW, NONE, NONE,                \
      "smuggling cases closed with tier 2 as the highest tier reached")                            \
    X(CASES_REACH_T1, "smuggling_cases_reaching_tier1", "case", ES_AGG_FLOW, NONE, NONE,           \
      "smuggling cases that identified a coordinator (tier 1)")                                    \
    X(CASES_REACH_T2, "smuggling_cases_reaching_tier2", "case", ES_AGG_FLOW, NONE, NONE,           \
      "smuggling cases that reached a leader (tier 2)")                                            \
    X(CASES_NO_PROGRESS, "smuggling_cases_closed_no_progress", "case", ES_AGG_FLOW, NONE, NONE,    \
      "smuggling cases closed when their hour budget ran out")                                     \
    X(CASES_LEFT, "smuggling_cases_closed_agents_left", "case", ES_AGG_FLOW, NONE, NONE,           \
      "smuggling cases closed because the agents working them left the program and they were not " \
      "handed over")                                                                               \
    X(ARRESTS_T0, "arrests_tier0", "person", ES_AGG_FLOW, NONE, NONE,                              \
      "smuggling actors of tier 0 arrested in HSI cases")                                          \
    X(ARRESTS_T1, "arrests_tier1", "person", ES_AGG_FLOW, NONE, NONE,                              \
      "smuggling actors of tier 1 arrested in HSI cases")                                          \
    X(ARRESTS_T2, "arrests_tier2", "person", ES_AGG_FLOW, NONE, NONE,                              \
      "smuggling actors of tier 2 arrested in HSI cases")                                          \
    X(ARRESTS_IN_ACT, "arrests_in_act", "person", ES_AGG_FLOW, NONE, NONE,                         \
      "guides and drivers arrested with their party at the border (no HSI case)")                  \
    X(ACTOR_YEARS, "actor_years_incapacitated", "actor_year", ES_AGG_FLOW, NONE, NONE,             \
      "prison years imposed on convicted smuggling actors (by month of sentence)")                 \
    X(WORKSITE_INVESTIGATIONS, "worksite_investigations", "case", ES_AGG_FLOW, NONE, NONE,         \
      "worksite investigations worked to completion (ICE counts investigations opened)")           \
    X(WORKSITE_I9_AUDITS, "worksite_i9_audits", "audit", ES_AGG_FLOW, NONE, NONE,                  \
      "I-9 audit notices served in worksite investigations")                                       \
    X(WORKSITE_ARRESTS_CRIMINAL, "worksite_arrests_criminal", "person", ES_AGG_FLOW, NONE, NONE,   \
      "criminal arrests in worksite investigations")                                               \
    X(WORKSITE_ARRESTS_ADMIN, "worksite_arrests_administrative", "person", ES_AGG_FLOW, NONE,      \
      NONE, "administrative arrests in worksite investigations, booked into ERO")                  \
    X(HOURS_IDLE_WORKSITE, "hsi_hours_idle_worksite_enforcement", "agent_hour", ES_AGG_FLOW, NONE, \
      NONE, "worksite agents' hours with no investigation to work (available minus used)")         \
    X(HOURS_PULLED_TO_SUPPORT, "hsi_hours_pulled_to_prosecution_support", "agent_hour",            \
      ES_AGG_FLOW, NONE, NONE,                                                                     \
      "hours of agents lent to prosecution support by other programs (its backlog above "          \
      "hsi.prosecution_support.pull_backlog_days)")                                                \
    X(HOURS_PULLED_FROM_SMUGGLING, "hsi_hours_pulled_from_migrant_smuggling", "agent_hour",        \
      ES_AGG_FLOW, NONE, NONE, "of those, hours the migrant-smuggling program lost")               \
    X(AGENTS_PULLED_FROM_SMUGGLING, "hsi_agents_pulled_from_migrant_smuggling", "agent",           \
      ES_AGG_STOCK, NONE, NONE,                                                                    \
      "migrant-smuggling agents lent to prosecution support at month end")                         \
    X(CASES_CHARGED_ARRESTEE, "smuggling_cases_with_charged_arrestee", "case", ES_AGG_FLOW, NONE,  \
      NONE,                                                                                        \
      "cases whose tier-0 arrests included someone charged under 1324 (only they can escalate by " \
      "cooperation)")                                                                              \
    X(ESCALATIONS_NO_CELL, "escalations_without_cell_support", "case", ES_AGG_FLOW, NONE, NONE,    \
      "escalation attempts made without Human Smuggling Cell analyst hours (the month's were "     \
      "spent)")                                                                                    \
    X(TIER2_NO_ATTACHE, "tier2_attempts_without_attache", "case", ES_AGG_FLOW, NONE, NONE,         \
      "tier-2 attempts that found no attache hours for a foreign partner")                         \
    X(CHARGES_1324, "charges_1324", "person", ES_AGG_FLOW, NONE, NONE,                             \
      "people charged with bringing in and harboring (8 U.S.C. 1324), both paths")                 \
    X(CHARGES_1324_HSI, "charges_1324_hsi_case", "person", ES_AGG_FLOW, NONE, NONE,                \
      "1324 charges from HSI cases")                                                               \
    X(CHARGES_1324_ACT, "charges_1324_caught_in_act", "person", ES_AGG_FLOW, NONE, NONE,           \
      "1324 charges of guides and drivers caught in the act")                                      \
    X(CHARGED_TIER_SUM, "charged_tier_sum", "tier", ES_AGG_FLOW, NONE, NONE,                       \
      "sum of the tiers of people charged under 1324 (numerator of mean_tier_charged)")            \
    X(MEAN_TIER_CHARGED, "mean_tier_charged", "tier", ES_AGG_RATIO, CHARGED_TIER_SUM,              \
      CHARGES_1324, "mean tier (0 street, 1 coordinator, 2 leader) of people charged under 1324")  \
    X(PROSECUTIONS_1325, "prosecutions_1325", "person", ES_AGG_FLOW, NONE, NONE,                   \
      "illegal-entry prosecutions (8 U.S.C. 1325)")                                                \
    X(REFERRALS_1325_DECLINED, "referrals_1325_declined", "person", ES_AGG_FLOW, NONE, NONE,       \
      "1325 referrals beyond court capacity")                                                      \
    X(CONVICTIONS_T0, "convictions_tier0", "person", ES_AGG_FLOW, NONE, NONE,                      \
      "smuggling convictions of tier 0 actors")                                                    \
    X(CONVICTIONS_T1, "convictions_tier1", "person", ES_AGG_FLOW, NONE, NONE,                      \
      "smuggling convictions of tier 1 actors")                                                    \
    X(CONVICTIONS_T2, "convictions_tier2", "person", ES_AGG_FLOW, NONE, NONE,                      \
      "smuggling convictions of tier 2 actors")                                                    \
    X(ERO_ARRESTS, "ero_book_ins", "person", ES_AGG_FLOW, NONE, NONE,                              \
      "ERO initial book-ins: border transfers, worksite, overstay and interior arrests")           \
    X(DETENTION, "detention_occupancy", "person", ES_AGG_STOCK, NONE, NONE,                        \
      "people in ERO detention at month end (a year's mean approximates the average daily "        \
      "population)")                                                                               \
    X(BEDS, "detention_beds", "bed", ES_AGG_STOCK, NONE, NONE, "detention beds funded")            \
    X(REMOVALS, "removals", "person", ES_AGG_FLOW, NONE, NONE, "removals by ERO")                  \
    X(ERO_RELEASES, "ero_releases", "person", ES_AGG_FLOW, NONE, NONE,                             \
      "people released by ERO (no bed, or at the end of detention without removal)")               \
    X(ERO_USED_0, "ero_hours_used_interior_arrests", "officer_hour", ES_AGG_FLOW, NONE, NONE,      \
      "ERO officer hours worked on interior arrests (HSI ero_support hours included for interior " \
      "arrests)")                                                                                  \
    X(ERO_USED_1, "ero_hours_used_processing", "officer_hour", ES_AGG_FLOW, NONE, NONE,            \
      "ERO officer hours worked on processing (HSI ero_support hours included for interior "       \
      "arrests)")                                                                                  \
    X(ERO_USED_2, "ero_hours_used_detention_management", "officer_hour", ES_AGG_FLOW, NONE, NONE,  \
      "ERO officer hours worked on detention management (HSI ero_support hours included for "      \
      "interior arrests)")                                                                         \
    X(ERO_USED_3, "ero_hours_used_removal_operations", "officer_hour", ES_AGG_FLOW, NONE, NONE,    \
      "ERO officer hours worked on removal operations (HSI ero_support hours included for "        \
      "interior arrests)")                                                                         \
    X(ERO_AVAIL_0, "ero_hours_available_interior_arrests", "officer_hour", ES_AGG_FLOW, NONE,      \
      NONE, "ERO officer hours available for interior arrests")                                    \
    X(ERO_AVAIL_1, "ero_hours_available_processing", "officer_hour", ES_AGG_FLOW, NONE, NONE,      \
      "ERO officer hours available for processing")                                                \
    X(ERO_AVAIL_2, "ero_hours_available_detention_management", "officer_hour", ES_AGG_FLOW, NONE,  \
      NONE, "ERO officer hours available for detention management")                                \
    X(ERO_AVAIL_3, "ero_hours_available_removal_operations", "officer_hour", ES_AGG_FLOW, NONE,    \
      NONE, "ERO officer hours available for removal operations")                                  \
    X(HSC_STAFF, "human_smuggling_cell_staff", "person", ES_AGG_STOCK, NONE, NONE,                 \
      "Human Smuggling Cell staff")                                                                \
    X(UAC_DETERRED, "uac_parties_deterred", "party", ES_AGG_FLOW, NONE, NONE,                      \
      "unaccompanied-children parties that did not travel because their U.S. funders were "        \
      "identified")                                                                                \
    /* ERO and worksite (docs/model.md, ERO; Worksite enforcement) */                              \
    X(ERO_ADMIN_ARRESTS, "ero_administrative_arrests", "person", ES_AGG_FLOW, NONE, NONE,          \
      "ERO interior administrative arrests: ERO's own and overstays located with HSI ero_support " \
      "hours")                                                                                     \
    X(ERO_BORDER_TRANSFERS, "ero_border_transfers", "person", ES_AGG_FLOW, NONE, NONE,             \
      "people apprehended at the border, neither released nor trying again, booked into ERO "      \
      "custody")

#define ES_METRIC_ENUM(id, name, unit, agg, num, den, desc) ES_M_##id,
typedef enum { ES_M_NONE = -1, ES_METRIC_LIST(ES_METRIC_ENUM) ES_N_METRICS } es_metric_id;
#undef ES_METRIC_ENUM

typedef struct {
    const char *name;
    const char *unit;
    es_agg agg;
    int num, den; /* RATIO: metric ids of numerator and denominator; -1 otherwise */
    const char *desc;
} es_metric_def;

extern const es_metric_def es_metric_table[ES_N_METRICS];

/* Index of a metric by name, or -1. */
int es_metric_find(const char *name);

#endif
