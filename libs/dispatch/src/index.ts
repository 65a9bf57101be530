export { CASE_EVENTS, CASE_STATUSES, CASE_TRANSITIONS, allowedTransitions, transition, type AllowedTransition, type CaseEvent, type CaseStatus, type TransitionRefusal, type TransitionResult } from './case-status';
export {
  dispatchDeadline,
  escalationStep,
  supervisorOf,
  type DispatchState,
  type EscalationLevel,
  type EscalationRecord,
  type EscalationStep,
  type SupervisorMap,
} from './dispatch-deadline';
export {
  DISTRICT_WELFARE_CENTRE,
  SCHOOL_STATUSES,
  type DispatchRoutingDocument,
  type DistrictDocument,
  type EscalationDocument,
  type IncidentMergeDocument,
  type LeadUnitDocument,
  type RouteConditions,
  type RouteDocument,
  type SchoolStatus,
  type SecondaryConditions,
  type SecondaryRouteDocument,
  type TownshipDocument,
} from './dispatch-routing-document';
export { incidentKey, mergeIncidents, sameIncident, type Incident, type IncidentReport } from './incident';
export {
  DispatchRoutingError,
  loadDispatchRouting,
  loadDispatchRoutingFile,
  referencedUnits,
  routeConditionsHold,
  unknownUnits,
  type DispatchTable,
  type DistrictEntry,
  type TownshipEntry,
} from './load-dispatch-routing';
export { route, type FamilyLeadCase, type RouteDecision, type RouteInput, type RoutedUnit } from './route';
