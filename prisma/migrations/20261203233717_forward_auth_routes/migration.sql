-- CreateTable
CREATE TABLE "GatewayRoute" (
    "id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "scope" "Scope",
    "permissions" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "cost" INTEGER,
    "public" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "GatewayRoute_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GatewayRouteSettings" (
    "id" TEXT NOT NULL DEFAULT 'default',
    "defaultAction" TEXT NOT NULL DEFAULT 'deny',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GatewayRouteSettings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "GatewayRoute_method_path_key" ON "GatewayRoute"("method", "path");
