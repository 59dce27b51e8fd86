// Classes of the file whose special methods hand out a module or a dangerous function: `__getitem__` (and a
// dict subclass's `__missing__`, a class's `__class_getitem__`), `__call__`, `__getattr__`/`__getattribute__`
// (a metaclass's on the class itself), a descriptor's `__get__`, `__iter__`/`__next__` (read by for, next,
// list, unpacking); a class's unbound `__getattribute__`; and what the forward flow sees reach a function's
// return where the evaluator cannot (`return self.m` after `self.m = os`). Each is flagged; the same classes
// returning ordinary values stay quiet (special-methods.ts, function-results.ts).
import { itFlags, itQuiet } from './helpers';

describe("python: special methods of the file's classes, what functions give", () => {
  itFlags([
    [
      '__getitem__ returning a module, subscripted on a fresh object',
      'import os\nclass G:\n    def __getitem__(s, k):\n        return os\nG()[0].system("id")',
      'command-execution',
      5,
    ],
    [
      '__getitem__ on an object held by a name',
      'import os\nclass G:\n    def __getitem__(self, k):\n        return os\ng = G()\ng["a"].system("id")',
      'command-execution',
      6,
    ],
    [
      '__getitem__ returning what __init__ stored on self',
      'import os\nclass G:\n    def __init__(self, m):\n        self.m = m\n    def __getitem__(self, k):\n        return self.m\nG(os)[0].system("id")',
      'command-execution',
      7,
    ],
    [
      '__getitem__ inherited from a base of the file',
      'import os\nclass Base:\n    def __getitem__(self, k):\n        return os\nclass G(Base): pass\nG()["k"].popen("id")',
      'command-execution',
      6,
    ],
    [
      '__missing__ of a dict subclass',
      'import os\nclass G(dict):\n    def __missing__(self, k):\n        return os\nG()["x"].system("id")',
      'command-execution',
      5,
    ],
    [
      '__class_getitem__ on the class itself',
      'import os\nclass G:\n    def __class_getitem__(cls, k):\n        return os\nG[0].system("id")',
      'command-execution',
      5,
    ],
    [
      '__call__ returning subprocess.Popen',
      'import subprocess as sp\nclass C:\n    def __call__(self):\n        return sp.Popen\nC()()(["id"])',
      'command-execution',
      5,
    ],
    [
      '__call__ returning a module, the object held by a name',
      'import os\nclass C:\n    def __call__(self, *a):\n        return os\nc = C()\nc().system("id")',
      'command-execution',
      6,
    ],
    [
      '__getattr__ reading the module by the name asked',
      'import os\nclass A:\n    def __getattr__(self, n):\n        return getattr(os, n)\nA().system("id")',
      'command-execution',
      5,
    ],
    [
      '__getattribute__ returning a module',
      'import os\nclass A:\n    def __getattribute__(self, n):\n        return os\nA().path.system("id")',
      'command-execution',
      5,
    ],
    [
      "a metaclass's __getattr__ on the class",
      'import os\nclass Meta(type):\n    def __getattr__(cls, n):\n        return getattr(os, n)\nclass K(metaclass=Meta): pass\nK.system("id")',
      'command-execution',
      6,
    ],
    [
      "a descriptor's __get__ read as a class attribute",
      'import os\nclass D:\n    def __get__(self, obj, owner=None):\n        return os\nclass K:\n    m = D()\nK().m.system("id")',
      'command-execution',
      7,
    ],
    [
      "a class's unbound __getattribute__ is getattr",
      'import os, types\nclass M(types.ModuleType):\n    pass\nM.__getattribute__(os, "system")("id")',
      'command-execution',
      4,
    ],
    [
      'a method returning an attribute stored on self',
      'import os\nclass K:\n    def __init__(s, m):\n        s.m = m\n    def get(s):\n        return s.m\nK(os).get().system("id")',
      'command-execution',
      7,
    ],
    [
      'a function returning an attribute stored elsewhere',
      'import os\nclass H: pass\nh = H()\nh.m = os\ndef get():\n    return h.m\nget().system("id")',
      'command-execution',
      7,
    ],
    [
      'a lambda returning a stored attribute',
      'import os\nclass H: pass\nh = H()\nh.m = os\n(lambda: h.m)().system("id")',
      'command-execution',
      5,
    ],
  ]);
  itQuiet([
    [
      'quiet: __getitem__ returning a constant',
      'class G:\n    def __getitem__(self, k):\n        return "x"\nG()[0].upper()',
    ],
    [
      'quiet: a dict subclass whose __getitem__ reads the dict',
      'class Cfg(dict):\n    def __getitem__(self, k):\n        return dict.__getitem__(self, k)\nc = Cfg(a=1)\nc["system"]("x")',
    ],
    [
      'quiet: __call__ returning a number',
      'class C:\n    def __call__(self):\n        return 1\nC()().system("x")',
    ],
    [
      'quiet: a name the class defines is not read through __getattr__',
      'import os\nclass A:\n    def system(self, c):\n        return c\n    def __getattr__(self, n):\n        return getattr(os, n)\nA().system("x")',
      'command-execution',
    ],
    [
      'quiet: a record class of the file is still read by its fields',
      'from typing import NamedTuple\nclass P(NamedTuple):\n    m: object\nP("a")[0].upper()',
    ],
  ]);
  describe('the iteration protocol: __iter__ and __next__', () => {
    itFlags([
      [
        'a generator __iter__ yielding a module, in a for loop',
        'import os\nclass I:\n    def __iter__(self):\n        yield os\nfor m in I():\n    m.system("id")',
        'command-execution',
        6,
      ],
      [
        '__next__ returning a module, read by next()',
        'import os\nclass I:\n    def __iter__(self): return self\n    def __next__(self): return os\nnext(I()).system("id")',
        'command-execution',
        5,
      ],
      [
        '__iter__ returning an iterator over a list, read by list()',
        'import subprocess\nclass I:\n    def __iter__(self):\n        yield from [subprocess]\nlist(I())[0].run(["id"])',
        'command-execution',
        5,
      ],
      [
        'an object held by a name, unpacked',
        'import os\nclass I:\n    def __iter__(self):\n        yield os\nit = I()\n[m] = it\nm.popen("id")',
        'command-execution',
        7,
      ],
    ]);
    itQuiet([
      [
        'quiet: an __iter__ yielding constants',
        'class I:\n    def __iter__(self):\n        yield "a"\nfor m in I():\n    m.upper()',
      ],
    ]);
  });
});
