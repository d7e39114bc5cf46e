package explore

import "reflect"

func reflectType(v any) reflect.Type { return reflect.TypeOf(v) }
