// Python analysis for one document across edits.
import type { Node } from 'web-tree-sitter';
import type { RawAnalysis } from '../findings';
import { PythonAnalyzer } from './analyzer';

export class PythonIncremental {
  analyze(text: string, root: Node): RawAnalysis {
    return new PythonAnalyzer(text, root).run();
  }
}
