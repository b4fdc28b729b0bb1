INDEX_KINDS = ("skill", "occupation", "capability")
