import YAMLEdit
