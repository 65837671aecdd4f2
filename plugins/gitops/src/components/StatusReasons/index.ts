export {
  AnnotationProblems,
  ReasonList,
  ShortReason,
  StuckMarker,
  reasonLabel,
} from './StatusReasons';
